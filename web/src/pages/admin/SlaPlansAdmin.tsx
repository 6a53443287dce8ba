import { useState, type FormEvent } from 'react'
import { PRIORITIES, type Priority } from '../../api.ts'
import { choices } from '@shared/choices.ts'
import {
  ESCALATION_TRIGGER_LABELS,
  ESCALATION_TRIGGERS,
  ESCALATION_TYPE_LABELS,
  ESCALATION_TYPES as ESCALATION_TYPE_VALUES,
  SLA_HOURS,
  SLA_HOURS_LABELS,
} from '@shared/sla.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import {
  useAdminList,
  useAdminSave,
  useSaveSlaSettings,
  useSlaSettings,
  type AdminAgent,
  type AdminSlaPlan,
  type AdminTeam,
  type SlaEscalation,
  type SlaSettings,
  type SlaTargets,
} from './adminApi.ts'

const BASE = '/api/v1/admin/sla-plans'
const TARGETS = [
  ['firstResponseMinutes', 'First response'],
  ['nextResponseMinutes', 'Next response'],
  ['resolutionMinutes', 'Resolution'],
] as const
type TargetKey = (typeof TARGETS)[number][0]
type Draft = Record<Priority, Record<TargetKey, string> & { hours: SlaTargets['hours'] }>

function toDraft(plan: AdminSlaPlan | null): Draft {
  const draft = {} as Draft
  for (const { key } of PRIORITIES) {
    const t = plan?.targets[key]
    draft[key] = {
      firstResponseMinutes: t?.firstResponseMinutes ? String(t.firstResponseMinutes) : '',
      nextResponseMinutes: t?.nextResponseMinutes ? String(t.nextResponseMinutes) : '',
      resolutionMinutes: t?.resolutionMinutes ? String(t.resolutionMinutes) : '',
      hours: t?.hours ?? '24x7',
    }
  }
  return draft
}

const minutesOrNull = (v: string) => (v.trim() === '' ? null : Number(v))

const HOURS = choices(SLA_HOURS, SLA_HOURS_LABELS)
const WHEN = choices(ESCALATION_TRIGGERS, ESCALATION_TRIGGER_LABELS)
const ESCALATION_TYPES = choices(ESCALATION_TYPE_VALUES, ESCALATION_TYPE_LABELS)
const MAX_ESCALATIONS = 20
/** An escalation row being edited; `value` is '' for none (auto-assignment when reassigning). */
interface EscalationDraft {
  on: SlaEscalation['on']
  type: SlaEscalation['type']
  value: string
}
const toEscalationDrafts = (plan: AdminSlaPlan | null): EscalationDraft[] =>
  (plan?.escalations ?? []).map((e) => ({
    on: e.on,
    type: e.type,
    value: typeof e.value === 'number' ? String(e.value) : '',
  }))
const fromEscalationDraft = (e: EscalationDraft): SlaEscalation =>
  e.type === 'raise_priority'
    ? { on: e.on, type: e.type }
    : { on: e.on, type: e.type, value: e.value === '' ? null : Number(e.value) }

export function SlaPlansAdmin() {
  const list = useAdminList<AdminSlaPlan>(BASE)
  const schedules = useAdminList<{ id: number; name: string }>('/api/v1/admin/schedules')
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminSlaPlan | null>(null)
  const [name, setName] = useState('')
  const [scheduleId, setScheduleId] = useState('')
  const [draft, setDraft] = useState<Draft>(() => toDraft(null))
  const [escalations, setEscalations] = useState<EscalationDraft[]>([])
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  const teams = useAdminList<AdminTeam>('/api/v1/admin/teams')

  const edit = (p: AdminSlaPlan | null) => {
    setEditing(p)
    setName(p?.name ?? '')
    setScheduleId(p?.scheduleId ? String(p.scheduleId) : '')
    setDraft(toDraft(p))
    setEscalations(toEscalationDrafts(p))
    save.reset()
  }
  const setEscalation = (i: number, patch: Partial<EscalationDraft>) =>
    setEscalations((es) => es.map((e, j) => (j === i ? { ...e, ...patch } : e)))
  const change = (priority: Priority, field: TargetKey | 'hours', value: string) =>
    setDraft((d) => ({ ...d, [priority]: { ...d[priority], [field]: value } }))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const targets = Object.fromEntries(
      PRIORITIES.map(({ key }) => [
        key,
        {
          firstResponseMinutes: minutesOrNull(draft[key].firstResponseMinutes),
          nextResponseMinutes: minutesOrNull(draft[key].nextResponseMinutes),
          resolutionMinutes: minutesOrNull(draft[key].resolutionMinutes),
          hours: draft[key].hours,
        },
      ]),
    )
    save.mutate(
      {
        id: editing?.id,
        body: {
          name,
          scheduleId: scheduleId === '' ? null : Number(scheduleId),
          targets,
          escalations: escalations.map(fromEscalationDraft),
        },
      },
      { onSuccess: () => edit(null) },
    )
  }
  const scheduleName = (id: number | null) =>
    id === null ? '—' : (schedules.data?.items.find((s) => s.id === id)?.name ?? `#${id}`)
  const escalationText = (e: SlaEscalation) => {
    const when = WHEN.find(([k]) => k === e.on)?.[1] ?? e.on
    if (e.type === 'raise_priority') return `${when}: raise priority`
    if (e.type === 'reassign') {
      if (typeof e.value !== 'number') return `${when}: auto-assign`
      return `${when}: reassign to ${agents.data?.items.find((a) => a.id === e.value)?.name ?? `agent #${e.value}`}`
    }
    return `${when}: notify ${teams.data?.items.find((t) => t.id === e.value)?.name ?? `team #${e.value}`}`
  }

  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">SLA plans</h2>
      <SlaSettingsForm plans={list.data?.items} />
      <form className="card" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'New SLA plan'}>
        <div className="inline-form">
          <label className="field">
            <span>Name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>Business-hours schedule</span>
            <select value={scheduleId} onChange={(e) => setScheduleId(e.target.value)}>
              <option value="">None (24x7 only)</option>
              {schedules.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="table-wrap">
          <table>
            <caption>Targets in minutes (empty: not tracked)</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                {TARGETS.map(([, label]) => (
                  <th scope="col" key={label}>
                    {label}
                  </th>
                ))}
                <th scope="col">Hours</th>
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map(({ key, name: priorityName }) => (
                <tr key={key}>
                  <th scope="row">{priorityName}</th>
                  {TARGETS.map(([field, label]) => (
                    <td key={field}>
                      <input
                        type="number"
                        min={1}
                        max={525600}
                        aria-label={`${priorityName}: ${label} (minutes)`}
                        value={draft[key][field]}
                        onChange={(e) => change(key, field, e.target.value)}
                      />
                    </td>
                  ))}
                  <td>
                    <select
                      aria-label={`${priorityName}: hours`}
                      value={draft[key].hours}
                      onChange={(e) => change(key, 'hours', e.target.value)}
                    >
                      {HOURS.map(([hours, hoursName]) => (
                        <option key={hours} value={hours}>
                          {hoursName}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <fieldset>
          <legend>Escalations</legend>
          {escalations.length === 0 && <p>None: alerts only notify the assignee and the manager.</p>}
          {escalations.map((e, i) => (
            <div className="inline-form" key={i}>
              <label className="field">
                <span>Escalation {i + 1} when</span>
                <select
                  value={e.on}
                  onChange={(ev) => setEscalation(i, { on: ev.target.value as EscalationDraft['on'] })}
                >
                  {WHEN.map(([key, label]) => (
                    <option key={key} value={key}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Escalation {i + 1} action</span>
                <select
                  value={e.type}
                  onChange={(ev) =>
                    setEscalation(i, { type: ev.target.value as EscalationDraft['type'], value: '' })
                  }
                >
                  {ESCALATION_TYPES.map(([key, label]) => (
                    <option key={key} value={key}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              {e.type === 'reassign' && (
                <label className="field">
                  <span>Escalation {i + 1} agent</span>
                  <select value={e.value} onChange={(ev) => setEscalation(i, { value: ev.target.value })}>
                    <option value="">Auto-assign</option>
                    {agents.data?.items
                      .filter((a) => a.isActive || String(a.id) === e.value)
                      .map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                  </select>
                </label>
              )}
              {e.type === 'notify_team' && (
                <label className="field">
                  <span>Escalation {i + 1} team</span>
                  <select
                    required
                    value={e.value}
                    onChange={(ev) => setEscalation(i, { value: ev.target.value })}
                  >
                    <option value="">Choose a team</option>
                    {teams.data?.items
                      .filter((t) => t.isActive || String(t.id) === e.value)
                      .map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                  </select>
                </label>
              )}
              <div className="actions field">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setEscalations((es) => es.filter((_, j) => j !== i))}
                >
                  Remove escalation {i + 1}
                </button>
              </div>
            </div>
          ))}
          {agents.isError && <ErrorBox error={agents.error} />}
          {teams.isError && <ErrorBox error={teams.error} />}
          <button
            type="button"
            className="secondary"
            disabled={escalations.length >= MAX_ESCALATIONS}
            onClick={() =>
              setEscalations((es) => [...es, { on: 'breached', type: 'raise_priority', value: '' }])
            }
          >
            Add escalation
          </button>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save SLA plan' : 'Create SLA plan'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading SLA plans" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Schedule</th>
                <th scope="col">Escalations</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id} className={p.isActive ? '' : 'disabled-row'}>
                  <td>{p.name}</td>
                  <td>{scheduleName(p.scheduleId)}</td>
                  <td>{p.escalations.map(escalationText).join('; ') || '—'}</td>
                  <ActiveCell active={p.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => edit(p)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${p.isActive ? 'Disable' : 'Enable'} ${p.name}`}
                      onClick={() => save.mutate({ id: p.id, body: { isActive: !p.isActive } })}
                    >
                      {p.isActive ? 'Disable' : 'Enable'}
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

/** The default plan (for tickets no rule, topic or department gives one) and auto-close, saved together. */
function SlaSettingsForm({ plans }: { plans: AdminSlaPlan[] | undefined }) {
  const settings = useSlaSettings()
  const save = useSaveSlaSettings()
  return (
    <div className="card settings">
      <h3 id="sla-settings-title">SLA settings</h3>
      {settings.isPending && <Loading what="Loading SLA settings" />}
      {settings.isError && <ErrorBox error={settings.error} retry={() => void settings.refetch()} />}
      {settings.data && plans && (
        // Keyed by the saved values, so the form starts again from what the server holds after each save.
        <SlaSettingsFields
          key={JSON.stringify(settings.data)}
          saved={settings.data}
          plans={plans}
          pending={save.isPending}
          onSave={(body) => save.mutate(body)}
          onChange={() => save.reset()}
        />
      )}
      {save.isError && <ErrorBox error={save.error} />}
      {save.isSuccess && (
        <p className="notice" role="status">
          SLA settings saved.
        </p>
      )}
    </div>
  )
}

function SlaSettingsFields(props: {
  saved: SlaSettings
  plans: AdminSlaPlan[]
  pending: boolean
  onSave: (body: SlaSettings) => void
  onChange: () => void
}) {
  const [defaultPlanId, setDefaultPlanId] = useState(
    props.saved.defaultPlanId === null ? '' : String(props.saved.defaultPlanId),
  )
  const [autoCloseDays, setAutoCloseDays] = useState(String(props.saved.autoCloseDays))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    props.onSave({
      defaultPlanId: defaultPlanId === '' ? null : Number(defaultPlanId),
      autoCloseDays: Number(autoCloseDays),
    })
  }
  // Disabled plans stay listed only while they are the saved default, so the select shows the truth.
  const choices = props.plans.filter((p) => p.isActive || String(p.id) === defaultPlanId)
  return (
    <form onSubmit={submit} aria-labelledby="sla-settings-title">
      <div className="inline-form">
        <label className="field">
          <span>Default SLA plan</span>
          <select
            value={defaultPlanId}
            onChange={(e) => {
              setDefaultPlanId(e.target.value)
              props.onChange()
            }}
          >
            <option value="">None (no SLA unless a rule, topic or department sets one)</option>
            {choices.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.isActive ? '' : ' (disabled)'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Auto-close resolved tickets after (days, 0 = never)</span>
          <input
            type="number"
            required
            min={0}
            max={3650}
            step={1}
            value={autoCloseDays}
            onChange={(e) => {
              setAutoCloseDays(e.target.value)
              props.onChange()
            }}
          />
        </label>
      </div>
      <div className="actions">
        <button type="submit" disabled={props.pending}>
          Save SLA settings
        </button>
      </div>
    </form>
  )
}
