import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get, PRIORITIES, type Status } from '../../api.ts'
import {
  RULE_ACTION_LABELS,
  RULE_ACTIONS,
  RULE_EVENT_LABELS,
  RULE_EVENTS,
  RULE_FIELD_LABELS,
  RULE_FIELDS,
  RULE_OP_LABELS,
  RULE_OPS,
  type RuleActionType,
  type RuleMatch,
  type RuleOp,
} from '@shared/rules.ts'
import type { ResponseOf } from '../../api/types.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import {
  useAdminList,
  useAdminSave,
  type AdminAgent,
  type AdminCanned,
  type AdminDepartment,
  type AdminSlaPlan,
  type AdminTeam,
} from './adminApi.ts'

const BASE = '/api/v1/admin/rules'
const EVENTS = RULE_EVENTS
const FIELDS = RULE_FIELDS
const OPS = RULE_OPS
const ACTIONS = RULE_ACTIONS
type ActionType = RuleActionType

type AdminRule = ResponseOf<'/api/v1/admin/rules'>['items'][number]
type Condition = AdminRule['conditions'][number]
type Action = AdminRule['actions'][number]

/** Rules: a name, an event, conditions (field / operator / value) and actions (type / value) as rows. */
export function RulesAdmin() {
  const list = useAdminList<AdminRule>(BASE)
  const save = useAdminSave(BASE)
  const client = useQueryClient()
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `${BASE}/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const teams = useAdminList<AdminTeam>('/api/v1/admin/teams')
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  const plans = useAdminList<AdminSlaPlan>('/api/v1/admin/sla-plans')
  const canned = useAdminList<AdminCanned>('/api/v1/admin/canned-responses')
  const statuses = useQuery({
    queryKey: ['statuses'],
    queryFn: () => get<{ items: Status[] }>('/api/v1/statuses'),
  })

  const [editing, setEditing] = useState<AdminRule | null>(null)
  const [name, setName] = useState('')
  const [event, setEvent] = useState<string>('ticket.created')
  const [match, setMatch] = useState<RuleMatch>('all')
  const [conditions, setConditions] = useState<Condition[]>([])
  const [actions, setActions] = useState<Action[]>([{ type: 'add_tag', value: '' }])
  const [position, setPosition] = useState('0')
  const [stopProcessing, setStopProcessing] = useState(false)

  const edit = (r: AdminRule | null) => {
    setEditing(r)
    setName(r?.name ?? '')
    setEvent(r?.event ?? 'ticket.created')
    setMatch(r?.match ?? 'all')
    setConditions(r?.conditions ?? [])
    setActions(r?.actions ?? [{ type: 'add_tag', value: '' }])
    setPosition(String(r?.position ?? 0))
    setStopProcessing(r?.stopProcessing ?? false)
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(
      {
        id: editing?.id,
        body: { name, event, match, conditions, actions, position: Number(position) || 0, stopProcessing },
      },
      { onSuccess: () => edit(null) },
    )
  }

  /** The choices for an action's value; null means free text (a tag) and [] means no value. */
  const choices = (type: ActionType): { value: string | number; name: string }[] | null => {
    const ids = (items: { id: number; name?: string; title?: string }[] | undefined) =>
      (items ?? []).map((x) => ({ value: x.id, name: x.name ?? x.title ?? `#${x.id}` }))
    switch (type) {
      case 'set_priority':
        return PRIORITIES.map((p) => ({ value: p.key, name: p.name }))
      case 'set_status':
        return (statuses.data?.items ?? []).map((s) => ({ value: s.key, name: s.name }))
      case 'set_department':
        return ids(departments.data?.items)
      case 'set_team':
        return ids(teams.data?.items)
      case 'set_assignee':
      case 'add_follower':
      case 'notify_agent':
        return ids(agents.data?.items)
      case 'set_sla_plan':
        return ids(plans.data?.items)
      case 'send_canned_reply':
        return ids(canned.data?.items)
      case 'add_tag':
        return null
      case 'reject':
        return []
    }
  }
  const setCondition = (i: number, patch: Partial<Condition>) =>
    setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)))
  const setAction = (i: number, patch: Partial<Action>) =>
    setActions((as) => as.map((a, j) => (j === i ? { ...a, ...patch } : a)))

  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      <form className="card" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'New rule'}>
        <div className="inline-form">
          <label className="field">
            <span>Name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>Event</span>
            <select value={event} onChange={(e) => setEvent(e.target.value)}>
              {EVENTS.map((ev) => (
                <option key={ev} value={ev}>
                  {RULE_EVENT_LABELS[ev]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Match</span>
            <select value={match} onChange={(e) => setMatch(e.target.value as RuleMatch)}>
              <option value="all">All conditions</option>
              <option value="any">Any condition</option>
            </select>
          </label>
          <label className="field">
            <span>Position</span>
            <input
              type="number"
              min={0}
              max={1000000}
              value={position}
              onChange={(e) => setPosition(e.target.value)}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={stopProcessing}
              onChange={(e) => setStopProcessing(e.target.checked)}
            />
            <span>Stop processing further rules</span>
          </label>
        </div>
        <fieldset>
          <legend>Conditions</legend>
          {conditions.map((c, i) => (
            <div className="inline-form" key={i}>
              <label className="field">
                <span>Condition {i + 1} field</span>
                <input
                  required
                  list="rule-fields"
                  maxLength={80}
                  value={c.field}
                  onChange={(e) => setCondition(i, { field: e.target.value })}
                />
              </label>
              <label className="field">
                <span>Condition {i + 1} operator</span>
                <select value={c.op} onChange={(e) => setCondition(i, { op: e.target.value as RuleOp })}>
                  {OPS.map((op) => (
                    <option key={op} value={op}>
                      {RULE_OP_LABELS[op]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Condition {i + 1} value</span>
                <input
                  maxLength={500}
                  value={c.value}
                  onChange={(e) => setCondition(i, { value: e.target.value })}
                />
              </label>
              <div className="actions field">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}
                >
                  Remove condition {i + 1}
                </button>
              </div>
            </div>
          ))}
          <datalist id="rule-fields">
            {FIELDS.map((f) => (
              <option key={f} value={f} label={RULE_FIELD_LABELS[f]} />
            ))}
          </datalist>
          <button
            type="button"
            className="secondary"
            onClick={() => setConditions((cs) => [...cs, { field: 'subject', op: 'contains', value: '' }])}
          >
            Add condition
          </button>
        </fieldset>
        <fieldset>
          <legend>Actions</legend>
          {actions.map((a, i) => {
            const options = choices(a.type)
            return (
              <div className="inline-form" key={i}>
                <label className="field">
                  <span>Action {i + 1} type</span>
                  <select
                    value={a.type}
                    onChange={(e) => setAction(i, { type: e.target.value as ActionType, value: null })}
                  >
                    {ACTIONS.map((t) => (
                      <option key={t} value={t}>
                        {RULE_ACTION_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </label>
                {options === null && (
                  <label className="field">
                    <span>Action {i + 1} value</span>
                    <input
                      maxLength={64}
                      value={typeof a.value === 'string' ? a.value : ''}
                      onChange={(e) => setAction(i, { value: e.target.value })}
                    />
                  </label>
                )}
                {options !== null && options.length > 0 && (
                  <label className="field">
                    <span>Action {i + 1} value</span>
                    <select
                      required
                      value={a.value === null || a.value === undefined ? '' : String(a.value)}
                      onChange={(e) => {
                        const chosen = options.find((o) => String(o.value) === e.target.value)
                        setAction(i, { value: chosen ? chosen.value : null })
                      }}
                    >
                      <option value="">Choose…</option>
                      {options.map((o) => (
                        <option key={String(o.value)} value={String(o.value)}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <div className="actions field">
                  <button
                    type="button"
                    className="secondary"
                    disabled={actions.length === 1}
                    onClick={() => setActions((as) => as.filter((_, j) => j !== i))}
                  >
                    Remove action {i + 1}
                  </button>
                </div>
              </div>
            )
          })}
          <button
            type="button"
            className="secondary"
            onClick={() => setActions((as) => [...as, { type: 'add_tag', value: '' }])}
          >
            Add action
          </button>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save rule' : 'Create rule'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {remove.isError && <ErrorBox error={remove.error} />}
      {list.isPending && <Loading what="Loading rules" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Event</th>
                <th scope="col">Position</th>
                <th scope="col">Does</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id} className={r.isActive ? '' : 'disabled-row'}>
                  <td>{r.name}</td>
                  <td>{r.event}</td>
                  <td>{r.position}</td>
                  <td>{r.actions.map((a) => RULE_ACTION_LABELS[a.type]).join(', ')}</td>
                  <ActiveCell active={r.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${r.name}`}
                      onClick={() => edit(r)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${r.isActive ? 'Disable' : 'Enable'} ${r.name}`}
                      onClick={() => save.mutate({ id: r.id, body: { isActive: !r.isActive } })}
                    >
                      {r.isActive ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Delete ${r.name}`}
                      onClick={() => remove.mutate(r.id)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
