import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get } from '../../api.ts'
import { choices } from '@shared/choices.ts'
import { STATUS_CATEGORIES, STATUS_CATEGORY_LABELS } from '@shared/tickets.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import type { AdminStatus } from './adminApi.ts'

const CATEGORIES = choices(STATUS_CATEGORIES, STATUS_CATEGORY_LABELS)

export function StatusesAdmin() {
  const client = useQueryClient()
  const list = useQuery({
    queryKey: ['statuses'],
    queryFn: () => get<{ items: AdminStatus[] }>('/api/v1/statuses'),
  })
  const [editing, setEditing] = useState<AdminStatus | null>(null)
  const [key, setKey] = useState('')
  const [name, setName] = useState('')
  const [category, setCategory] = useState('open')
  const [position, setPosition] = useState('0')
  const save = useMutation({
    mutationFn: () =>
      editing
        ? api('PATCH', `/api/v1/admin/statuses/${encodeURIComponent(editing.key)}`, {
            name,
            category,
            position: Number(position),
          })
        : api('POST', '/api/v1/admin/statuses', { key, name, category, position: Number(position) }),
    onSuccess: async () => {
      edit(null)
      await client.invalidateQueries({ queryKey: ['statuses'] })
    },
  })
  const edit = (s: AdminStatus | null) => {
    setEditing(s)
    setKey(s?.key ?? '')
    setName(s?.name ?? '')
    setCategory(s?.category ?? 'open')
    setPosition(String(s?.position ?? 0))
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  const categoryName = (c: string) => CATEGORIES.find(([k]) => k === c)?.[1] ?? c

  return (
    <section aria-labelledby="statuses-title">
      <h2 id="statuses-title">Statuses</h2>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.name}` : 'New status'}
      >
        <label className="field">
          <span>Key</span>
          <input
            required
            disabled={editing !== null}
            pattern="[a-z][a-z0-9_]{0,31}"
            title="lower-case letters, digits and _"
            maxLength={32}
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Name</span>
          <input required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>Category</span>
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {CATEGORIES.map(([k, n]) => (
              <option key={k} value={k}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Position</span>
          <input
            type="number"
            min={0}
            max={10000}
            required
            value={position}
            onChange={(e) => setPosition(e.target.value)}
          />
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save status' : 'Create status'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading statuses" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col">Position</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.key}>
                  <td>{s.key}</td>
                  <td>{s.name}</td>
                  <td>{categoryName(s.category)}</td>
                  <td>{s.position}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${s.name}`}
                      onClick={() => edit(s)}
                    >
                      Edit
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
