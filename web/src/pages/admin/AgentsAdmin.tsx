import { useState, type FormEvent } from 'react'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import {
  useAdminList,
  useAdminSave,
  useAgentAvailability,
  type AdminAgent,
  type AdminDepartment,
  type AdminRole,
} from './adminApi.ts'

const BASE = '/api/v1/admin/agents'

interface Form {
  name: string
  email: string
  password: string
  isAdmin: boolean
  primaryDepartmentId: string
  /** Department id → role key; a department without an entry is one the agent has no role in. */
  roles: Record<number, string>
}
const EMPTY: Form = { name: '', email: '', password: '', isAdmin: false, primaryDepartmentId: '', roles: {} }

export function AgentsAdmin() {
  const list = useAdminList<AdminAgent>(BASE)
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const roles = useAdminList<AdminRole>('/api/v1/admin/roles')
  const save = useAdminSave(BASE)
  const availability = useAgentAvailability()
  const [editing, setEditing] = useState<AdminAgent | null>(null)
  const [form, setForm] = useState<Form>(EMPTY)
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }))

  const edit = (a: AdminAgent | null) => {
    setEditing(a)
    setForm(
      a
        ? {
            name: a.name,
            email: a.email,
            password: '',
            isAdmin: a.isAdmin,
            primaryDepartmentId: a.primaryDepartmentId ? String(a.primaryDepartmentId) : '',
            roles: Object.fromEntries(a.memberships.map((m) => [m.departmentId, m.role])),
          }
        : EMPTY,
    )
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body: Record<string, unknown> = {
      name: form.name,
      email: form.email,
      isAdmin: form.isAdmin,
      memberships: Object.entries(form.roles).map(([departmentId, role]) => ({
        departmentId: Number(departmentId),
        role,
      })),
    }
    if (form.password) body.password = form.password
    if (form.primaryDepartmentId !== '') body.primaryDepartmentId = Number(form.primaryDepartmentId)
    else if (editing) body.primaryDepartmentId = null
    save.mutate({ id: editing?.id, body }, { onSuccess: () => edit(null) })
  }
  const activeDepartments = departments.data?.items.filter((d) => d.isActive) ?? []

  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <form className="card" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'New agent'}>
        <div className="inline-form">
          <label className="field">
            <span>Name</span>
            <input
              required
              maxLength={120}
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Email</span>
            <input
              required
              type="email"
              value={form.email}
              onChange={(e) => set({ email: e.target.value })}
            />
          </label>
          <label className="field">
            <span>{editing ? 'New password (leave empty to keep)' : 'Password'}</span>
            <input
              type="password"
              autoComplete="new-password"
              required={!editing}
              minLength={8}
              value={form.password}
              onChange={(e) => set({ password: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Primary department</span>
            <select
              value={form.primaryDepartmentId}
              onChange={(e) => set({ primaryDepartmentId: e.target.value })}
            >
              <option value="">None</option>
              {activeDepartments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.isAdmin}
            onChange={(e) => set({ isAdmin: e.target.checked })}
          />
          Admin (can use this console)
        </label>
        <fieldset className="field">
          <legend>Role in each department</legend>
          {(departments.isPending || roles.isPending) && <Loading what="Loading departments and roles" />}
          {departments.isError && <ErrorBox error={departments.error} />}
          {roles.isError && <ErrorBox error={roles.error} />}
          <div className="inline-form">
            {activeDepartments.map((d) => (
              <label key={d.id} className="field">
                <span>Role in {d.name}</span>
                <select
                  value={form.roles[d.id] ?? ''}
                  onChange={(e) => {
                    const next = { ...form.roles }
                    if (e.target.value === '') delete next[d.id]
                    else next[d.id] = e.target.value
                    set({ roles: next })
                  }}
                >
                  <option value="">No role</option>
                  {roles.data?.items.map((r) => (
                    <option key={r.key} value={r.key}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save agent' : 'Create agent'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {availability.isError && <ErrorBox error={availability.error} />}
      {list.isPending && <Loading what="Loading agents" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Departments and roles</th>
                <th scope="col">State</th>
                <th scope="col">Availability</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id} className={a.isActive ? '' : 'disabled-row'}>
                  <td>
                    {a.name}
                    {a.isAdmin && <span className="tag"> (admin)</span>}
                  </td>
                  <td>{a.email}</td>
                  <td>
                    {a.memberships
                      .map(
                        (m) =>
                          `${m.departmentName}: ${roles.data?.items.find((r) => r.key === m.role)?.name ?? m.role}`,
                      )
                      .join('; ') || '—'}
                  </td>
                  <ActiveCell active={a.isActive} />
                  <td>{a.onVacation ? 'On vacation' : 'Available'}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${a.name}`}
                      onClick={() => edit(a)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${a.isActive ? 'Disable' : 'Enable'} ${a.name}`}
                      onClick={() => save.mutate({ id: a.id, body: { isActive: !a.isActive } })}
                    >
                      {a.isActive ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${a.onVacation ? 'End vacation' : 'Start vacation'} for ${a.name}`}
                      disabled={availability.isPending && availability.variables.id === a.id}
                      onClick={() => availability.mutate({ id: a.id, onVacation: !a.onVacation })}
                    >
                      {a.onVacation ? 'End vacation' : 'Start vacation'}
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
