import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { useAdminList, useAdminSave, type AdminCanned, type AdminDepartment } from './adminApi.ts'

const BASE = '/api/v1/admin/canned-responses'

export function CannedAdmin() {
  const list = useAdminList<AdminCanned>(BASE)
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const save = useAdminSave(BASE)
  const client = useQueryClient()
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `${BASE}/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
  const [editing, setEditing] = useState<AdminCanned | null>(null)
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [departmentId, setDepartmentId] = useState('')

  const edit = (c: AdminCanned | null) => {
    setEditing(c)
    setTitle(c?.title ?? '')
    setBody(c?.body ?? '')
    setDepartmentId(c?.departmentId ? String(c.departmentId) : '')
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(
      { id: editing?.id, body: { title, body, departmentId: departmentId ? Number(departmentId) : null } },
      { onSuccess: () => edit(null) },
    )
  }
  const departmentName = (id: number | null) =>
    id === null ? 'All departments' : (departments.data?.items.find((d) => d.id === id)?.name ?? `#${id}`)

  return (
    <section aria-labelledby="canned-title">
      <h2 id="canned-title">Canned responses</h2>
      <p className="muted">
        Variables such as {'{{ticket.number}}'} and {'{{requester.name}}'} are filled in when an agent inserts
        the response.
      </p>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.title}` : 'New canned response'}
      >
        <label className="field">
          <span>Title</span>
          <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="field">
          <span>Department</span>
          <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">All departments</option>
            {departments.data?.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field wide">
          <span>Body</span>
          <textarea
            required
            rows={4}
            maxLength={50_000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save canned response' : 'Create canned response'}
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
      {list.isPending && <Loading what="Loading canned responses" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Department</th>
                <th scope="col">Body</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.title}</td>
                  <td>{departmentName(c.departmentId)}</td>
                  <td className="preview">{c.body.length > 80 ? `${c.body.slice(0, 80)}…` : c.body}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${c.title}`}
                      onClick={() => edit(c)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Delete ${c.title}`}
                      onClick={() => remove.mutate(c.id)}
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
