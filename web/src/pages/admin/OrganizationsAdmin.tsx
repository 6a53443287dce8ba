import { useState, type FormEvent } from 'react'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import { useAdminList, useAdminSave, type AdminOrganization } from './adminApi.ts'

const BASE = '/api/v1/admin/organizations'

export function OrganizationsAdmin() {
  const list = useAdminList<AdminOrganization>(BASE)
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminOrganization | null>(null)
  const [name, setName] = useState('')

  const edit = (o: AdminOrganization | null) => {
    setEditing(o)
    setName(o?.name ?? '')
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ id: editing?.id, body: { name } }, { onSuccess: () => edit(null) })
  }

  return (
    <section aria-labelledby="organizations-title">
      <h2 id="organizations-title">Organisations</h2>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.name}` : 'New organisation'}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save organisation' : 'Create organisation'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading organisations" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Customers</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((o) => (
                <tr key={o.id} className={o.isActive ? '' : 'disabled-row'}>
                  <td>{o.name}</td>
                  <td>{o.customerCount}</td>
                  <ActiveCell active={o.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${o.name}`}
                      onClick={() => edit(o)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${o.isActive ? 'Disable' : 'Enable'} ${o.name}`}
                      onClick={() => save.mutate({ id: o.id, body: { isActive: !o.isActive } })}
                    >
                      {o.isActive ? 'Disable' : 'Enable'}
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
