import { useState, type FormEvent } from 'react'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import { useAdminList, useAdminSave, type AdminAgent, type AdminTeam } from './adminApi.ts'

const BASE = '/api/v1/admin/teams'

export function TeamsAdmin() {
  const list = useAdminList<AdminTeam>(BASE)
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminTeam | null>(null)
  const [name, setName] = useState('')
  const [memberIds, setMemberIds] = useState<number[]>([])

  const edit = (t: AdminTeam | null) => {
    setEditing(t)
    setName(t?.name ?? '')
    setMemberIds(t?.members.map((m) => m.id) ?? [])
    save.reset()
  }
  const toggle = (id: number, on: boolean) =>
    setMemberIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ id: editing?.id, body: { name, memberIds } }, { onSuccess: () => edit(null) })
  }

  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <form className="card" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'New team'}>
        <label className="field">
          <span>Name</span>
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset className="field">
          <legend>Members</legend>
          {agents.isPending && <Loading what="Loading agents" />}
          {agents.isError && <ErrorBox error={agents.error} />}
          {agents.data?.items
            .filter((a) => a.isActive)
            .map((a) => (
              <label key={a.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={memberIds.includes(a.id)}
                  onChange={(e) => toggle(a.id, e.target.checked)}
                />
                {a.name}
              </label>
            ))}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save team' : 'Create team'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading teams" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Members</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id} className={t.isActive ? '' : 'disabled-row'}>
                  <td>{t.name}</td>
                  <td>{t.members.map((m) => m.name).join(', ') || '—'}</td>
                  <ActiveCell active={t.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${t.name}`}
                      onClick={() => edit(t)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${t.isActive ? 'Disable' : 'Enable'} ${t.name}`}
                      onClick={() => save.mutate({ id: t.id, body: { isActive: !t.isActive } })}
                    >
                      {t.isActive ? 'Disable' : 'Enable'}
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
