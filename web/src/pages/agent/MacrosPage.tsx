// The agent's macros: their own and the shared ones, a form to create or change one, and delete. A macro is a
// set of optional actions; the server runs them in a fixed order (fields and tags, then the note, then the reply).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import {
  api,
  get,
  PRIORITIES,
  type Agent,
  type Macro,
  type MacroAction,
  type MacroList,
  type Priority,
  type Ref,
  type Status,
} from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { normalizeTag } from './TicketWork.tsx'
import type { ResponseOf } from '../../api/types.ts'

type Canned = ResponseOf<'/api/v1/canned-responses'>['items'][number]

interface Form {
  name: string
  shared: boolean
  status: string
  priority: string
  departmentId: string
  /** '' no change, 'none' unassign, 'me' whoever applies it, or an agent id. */
  assignee: string
  addTags: string
  removeTags: string
  note: string
  cannedResponseId: string
}

const EMPTY: Form = {
  name: '',
  shared: false,
  status: '',
  priority: '',
  departmentId: '',
  assignee: '',
  addTags: '',
  removeTags: '',
  note: '',
  cannedResponseId: '',
}

const tagsOf = (text: string) => [...new Set(text.split(',').map(normalizeTag).filter(Boolean))]

function formOf(m: Macro): Form {
  const f: Form = { ...EMPTY, name: m.name, shared: m.shared }
  for (const a of m.actions) {
    switch (a.type) {
      case 'set_status':
        f.status = a.status
        break
      case 'set_priority':
        f.priority = a.priority
        break
      case 'set_department':
        f.departmentId = String(a.departmentId)
        break
      case 'set_assignee':
        f.assignee = a.agentId === null ? 'none' : String(a.agentId)
        break
      case 'set_team':
        break
      case 'add_tags':
        f.addTags = a.tags.join(', ')
        break
      case 'remove_tags':
        f.removeTags = a.tags.join(', ')
        break
      case 'add_note':
        f.note = a.body
        break
      case 'send_reply':
        f.cannedResponseId = String(a.cannedResponseId)
        break
    }
  }
  return f
}

/** The form's actions; a team action of the macro being edited (set through the API) is kept as it was. */
function actionsOf(f: Form, editing: Macro | null): MacroAction[] {
  const out: MacroAction[] = []
  if (f.status) out.push({ type: 'set_status', status: f.status })
  if (f.priority) out.push({ type: 'set_priority', priority: f.priority as Priority })
  if (f.departmentId) out.push({ type: 'set_department', departmentId: Number(f.departmentId) })
  if (f.assignee)
    out.push({
      type: 'set_assignee',
      agentId: f.assignee === 'none' ? null : f.assignee === 'me' ? 'me' : Number(f.assignee),
    })
  const team = editing?.actions.find((a) => a.type === 'set_team')
  if (team) out.push(team)
  const add = tagsOf(f.addTags)
  if (add.length > 0) out.push({ type: 'add_tags', tags: add })
  const remove = tagsOf(f.removeTags)
  if (remove.length > 0) out.push({ type: 'remove_tags', tags: remove })
  if (f.note.trim()) out.push({ type: 'add_note', body: f.note })
  if (f.cannedResponseId) out.push({ type: 'send_reply', cannedResponseId: Number(f.cannedResponseId) })
  return out
}

export function MacrosPage() {
  const client = useQueryClient()
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => get<MacroList>('/api/v1/macros') })
  const statuses = useQuery({
    queryKey: ['statuses'],
    queryFn: () => get<{ items: Status[] }>('/api/v1/statuses'),
    staleTime: 300_000,
  })
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => get<{ items: Ref[] }>('/api/v1/departments'),
    staleTime: 300_000,
  })
  const agents = useQuery({
    queryKey: ['agents'],
    queryFn: () => get<{ items: Agent[] }>('/api/v1/agents'),
    staleTime: 300_000,
  })
  const canned = useQuery({
    queryKey: ['canned-responses'],
    queryFn: () => get<{ items: Canned[] }>('/api/v1/canned-responses'),
  })
  const [editing, setEditing] = useState<Macro | null>(null)
  const [form, setForm] = useState<Form>(EMPTY)
  const [saved, setSaved] = useState<string | null>(null)
  useEffect(() => {
    document.title = 'Macros · Switchboard'
  }, [])

  const refresh = () => client.invalidateQueries({ queryKey: ['macros'] })
  const save = useMutation({
    mutationFn: (body: { name: string; shared: boolean; actions: MacroAction[] }) =>
      editing
        ? api<{ macro: Macro }>('PATCH', `/api/v1/macros/${editing.id}`, body)
        : api<{ macro: Macro }>('POST', '/api/v1/macros', body),
    onSuccess: async ({ macro }) => {
      setSaved(`Saved “${macro.name}”.`)
      edit(null)
      await refresh()
    },
  })
  const remove = useMutation({
    mutationFn: (m: Macro) => api('DELETE', `/api/v1/macros/${m.id}`),
    onSuccess: async (_v, m) => {
      setSaved(`Deleted “${m.name}”.`)
      if (editing?.id === m.id) edit(null)
      await refresh()
    },
  })

  function edit(m: Macro | null) {
    setEditing(m)
    setForm(m ? formOf(m) : EMPTY)
    save.reset()
  }
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setSaved(null)
    save.mutate({ name: form.name, shared: form.shared, actions: actionsOf(form, editing) })
  }

  const statusName = (key: string) => statuses.data?.items.find((s) => s.key === key)?.name ?? key
  const describe = (a: MacroAction): string => {
    switch (a.type) {
      case 'set_status':
        return `Status: ${statusName(a.status)}`
      case 'set_priority':
        return `Priority: ${PRIORITIES.find((p) => p.key === a.priority)?.name ?? a.priority}`
      case 'set_department':
        return `Department: ${departments.data?.items.find((d) => d.id === a.departmentId)?.name ?? `#${a.departmentId}`}`
      case 'set_assignee':
        return a.agentId === null
          ? 'Unassign'
          : a.agentId === 'me'
            ? 'Assign to me'
            : `Assign to ${agents.data?.items.find((x) => x.id === a.agentId)?.name ?? `#${a.agentId}`}`
      case 'set_team':
        return a.teamId === null ? 'No team' : `Team #${a.teamId}`
      case 'add_tags':
        return `Add tags: ${a.tags.join(', ')}`
      case 'remove_tags':
        return `Remove tags: ${a.tags.join(', ')}`
      case 'add_note':
        return 'Internal note'
      case 'send_reply':
        return `Reply: ${canned.data?.items.find((c) => c.id === a.cannedResponseId)?.title ?? `#${a.cannedResponseId}`}`
    }
  }
  const canShare = macros.data?.canShare ?? false

  return (
    <main className="page" aria-labelledby="macros-title">
      <h1 id="macros-title">Macros</h1>
      <p className="muted">
        A macro does several things to a ticket at once: apply it from the ticket view, or to many tickets
        from the queue. The note and the reply may use variables such as {'{{ticket.number}}'} and{' '}
        {'{{requester.name}}'}.
      </p>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.name}` : 'New macro'}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={120} value={form.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        {(canShare || form.shared) && (
          <label className="field checkbox">
            <span>Shared with every agent</span>
            <input
              type="checkbox"
              checked={form.shared}
              disabled={!canShare}
              onChange={(e) => set({ shared: e.target.checked })}
            />
          </label>
        )}
        <label className="field">
          <span>Set status</span>
          <select value={form.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">No change</option>
            {statuses.data?.items.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Set priority</span>
          <select value={form.priority} onChange={(e) => set({ priority: e.target.value })}>
            <option value="">No change</option>
            {PRIORITIES.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Transfer to</span>
          <select value={form.departmentId} onChange={(e) => set({ departmentId: e.target.value })}>
            <option value="">No change</option>
            {departments.data?.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Assign to</span>
          <select value={form.assignee} onChange={(e) => set({ assignee: e.target.value })}>
            <option value="">No change</option>
            <option value="me">Whoever applies it</option>
            <option value="none">Nobody (unassign)</option>
            {agents.data?.items.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Add tags</span>
          <input
            value={form.addTags}
            placeholder="comma-separated"
            onChange={(e) => set({ addTags: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Remove tags</span>
          <input
            value={form.removeTags}
            placeholder="comma-separated"
            onChange={(e) => set({ removeTags: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Reply with canned response</span>
          <select value={form.cannedResponseId} onChange={(e) => set({ cannedResponseId: e.target.value })}>
            <option value="">No reply</option>
            {canned.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field wide">
          <span>Internal note</span>
          <textarea
            rows={3}
            maxLength={50_000}
            value={form.note}
            onChange={(e) => set({ note: e.target.value })}
          />
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save macro' : 'Create macro'}
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
      {saved && (
        <p className="notice" role="status">
          {saved}
        </p>
      )}
      {macros.isPending && <Loading what="Loading macros" />}
      {macros.isError && <ErrorBox error={macros.error} retry={() => void macros.refetch()} />}
      {macros.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Your macros and the shared ones</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Actions it takes</th>
                <th scope="col">Manage</th>
              </tr>
            </thead>
            <tbody>
              {macros.data.items.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No macros yet.
                  </td>
                </tr>
              )}
              {macros.data.items.map((m) => (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td>{m.shared ? 'Shared' : 'Personal'}</td>
                  <td>
                    <ul className="macro-actions">
                      {m.actions.map((a) => (
                        <li key={a.type}>{describe(a)}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="actions">
                    {m.editable ? (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Edit ${m.name}`}
                          onClick={() => edit(m)}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Delete ${m.name}`}
                          disabled={remove.isPending}
                          onClick={() => remove.mutate(m)}
                        >
                          Delete
                        </button>
                      </>
                    ) : (
                      <span className="muted">Kept by admins</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  )
}
