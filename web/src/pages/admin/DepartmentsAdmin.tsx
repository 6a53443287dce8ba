import { useState, type FormEvent } from 'react'
import { choices } from '@shared/choices.ts'
import { AUTO_ASSIGN_LABELS, AUTO_ASSIGN_MODES } from '@shared/departments.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import {
  useAdminList,
  useAdminSave,
  type AdminAgent,
  type AdminDepartment,
  type AdminSlaPlan,
} from './adminApi.ts'

const AUTO_ASSIGN = choices(AUTO_ASSIGN_MODES, AUTO_ASSIGN_LABELS)

const BASE = '/api/v1/admin/departments'

export function DepartmentsAdmin() {
  const list = useAdminList<AdminDepartment>(BASE)
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminDepartment | null>(null)
  const [name, setName] = useState('')
  const [parentId, setParentId] = useState('')
  const [autoAssign, setAutoAssign] = useState('off')
  const [maxOpen, setMaxOpen] = useState('')
  const [managerId, setManagerId] = useState('')
  const [slaPlanId, setSlaPlanId] = useState('')
  const [signature, setSignature] = useState('')
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  const plans = useAdminList<AdminSlaPlan>('/api/v1/admin/sla-plans')
  const items = list.data?.items ?? []
  const nameOf = (id: number | null) => items.find((d) => d.id === id)?.name ?? '—'

  const edit = (d: AdminDepartment | null) => {
    setEditing(d)
    setName(d?.name ?? '')
    setParentId(d?.parentId ? String(d.parentId) : '')
    setAutoAssign(d?.autoAssign ?? 'off')
    setMaxOpen(d?.maxOpenPerAgent ? String(d.maxOpenPerAgent) : '')
    setManagerId(d?.managerId ? String(d.managerId) : '')
    setSlaPlanId(d?.slaPlanId ? String(d.slaPlanId) : '')
    setSignature(d?.signature ?? '')
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    // A new department simply has no parent; only a change can clear one (null).
    const body: Record<string, unknown> = { name }
    if (parentId !== '') body.parentId = Number(parentId)
    else if (editing) body.parentId = null
    if (editing) {
      // Routing and service level: only on a change (PATCH).
      body.autoAssign = autoAssign
      body.maxOpenPerAgent = maxOpen === '' ? null : Number(maxOpen)
      body.managerId = managerId === '' ? null : Number(managerId)
      body.slaPlanId = slaPlanId === '' ? null : Number(slaPlanId)
      body.signature = signature.trim() === '' ? null : signature
    }
    save.mutate({ id: editing?.id, body }, { onSuccess: () => edit(null) })
  }

  return (
    <section aria-labelledby="departments-title">
      <h2 id="departments-title">Departments</h2>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.name}` : 'New department'}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>Parent department</span>
          <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">None</option>
            {items
              .filter((d) => d.id !== editing?.id)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </select>
        </label>
        {editing && (
          <>
            <label className="field">
              <span>Auto-assign</span>
              <select value={autoAssign} onChange={(e) => setAutoAssign(e.target.value)}>
                {AUTO_ASSIGN.map(([k, n]) => (
                  <option key={k} value={k}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Max open tickets per agent</span>
              <input
                type="number"
                min={1}
                max={10000}
                value={maxOpen}
                placeholder="No limit"
                onChange={(e) => setMaxOpen(e.target.value)}
              />
            </label>
            <label className="field">
              <span>Manager</span>
              <select value={managerId} onChange={(e) => setManagerId(e.target.value)}>
                <option value="">None</option>
                {agents.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>SLA plan</span>
              <select value={slaPlanId} onChange={(e) => setSlaPlanId(e.target.value)}>
                <option value="">System default</option>
                {plans.data?.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Department signature</span>
              <textarea
                rows={3}
                maxLength={2000}
                value={signature}
                placeholder="Added under agents' public replies"
                onChange={(e) => setSignature(e.target.value)}
              />
            </label>
          </>
        )}
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save department' : 'Create department'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading departments" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Parent</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} className={d.isActive ? '' : 'disabled-row'}>
                  <td>{d.name}</td>
                  <td>{nameOf(d.parentId)}</td>
                  <ActiveCell active={d.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${d.name}`}
                      onClick={() => edit(d)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${d.isActive ? 'Disable' : 'Enable'} ${d.name}`}
                      onClick={() => save.mutate({ id: d.id, body: { isActive: !d.isActive } })}
                    >
                      {d.isActive ? 'Disable' : 'Enable'}
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
