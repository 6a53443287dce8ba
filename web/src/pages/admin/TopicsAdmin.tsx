import { useState, type FormEvent } from 'react'
import { PRIORITIES } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import {
  useAdminList,
  useAdminSave,
  type AdminCustomField,
  type AdminDepartment,
  type AdminSlaPlan,
  type AdminTopic,
} from './adminApi.ts'

const BASE = '/api/v1/admin/topics'
const idOrNull = (v: string) => (v === '' ? null : Number(v))

export function TopicsAdmin() {
  const list = useAdminList<AdminTopic>(BASE)
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const plans = useAdminList<AdminSlaPlan>('/api/v1/admin/sla-plans')
  const customFields = useAdminList<AdminCustomField>('/api/v1/admin/custom-fields')
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminTopic | null>(null)
  const [name, setName] = useState('')
  const [isPublic, setIsPublic] = useState(true)
  const [departmentId, setDepartmentId] = useState('')
  const [priority, setPriority] = useState('')
  const [slaPlanId, setSlaPlanId] = useState('')
  const [position, setPosition] = useState('0')
  const [fields, setFields] = useState<string[]>([])

  const edit = (t: AdminTopic | null) => {
    setEditing(t)
    setName(t?.name ?? '')
    setIsPublic(t?.isPublic ?? true)
    setDepartmentId(t?.departmentId ? String(t.departmentId) : '')
    setPriority(t?.priority ?? '')
    setSlaPlanId(t?.slaPlanId ? String(t.slaPlanId) : '')
    setPosition(String(t?.position ?? 0))
    setFields(t?.fields ?? [])
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(
      {
        id: editing?.id,
        body: {
          name,
          isPublic,
          departmentId: idOrNull(departmentId),
          priority: priority === '' ? null : priority,
          slaPlanId: idOrNull(slaPlanId),
          position: Number(position) || 0,
          fields,
        },
      },
      { onSuccess: () => edit(null) },
    )
  }
  const departmentName = (id: number | null) =>
    id === null ? '—' : (departments.data?.items.find((d) => d.id === id)?.name ?? `#${id}`)

  return (
    <section aria-labelledby="topics-title">
      <h2 id="topics-title">Help topics</h2>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.name}` : 'New help topic'}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>Department</span>
          <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">Default</option>
            {departments.data?.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Priority</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value="">Default</option>
            {PRIORITIES.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>SLA plan</span>
          <select value={slaPlanId} onChange={(e) => setSlaPlanId(e.target.value)}>
            <option value="">Department or system default</option>
            {plans.data?.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
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
          <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} />
          <span>Customers can choose it</span>
        </label>
        {customFields.data && customFields.data.items.length > 0 && (
          <fieldset className="field">
            <legend>Form: custom fields asked with this topic</legend>
            {customFields.data.items.map((f) => (
              <label key={f.key} className="checkbox">
                <input
                  type="checkbox"
                  checked={fields.includes(f.key)}
                  onChange={(e) =>
                    setFields((now) => (e.target.checked ? [...now, f.key] : now.filter((k) => k !== f.key)))
                  }
                />
                <span>
                  {f.label}
                  {f.requiredOnCreate ? ' (required)' : ''}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save help topic' : 'Create help topic'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading help topics" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Department</th>
                <th scope="col">Public</th>
                <th scope="col">Form fields</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id} className={t.isActive ? '' : 'disabled-row'}>
                  <td>{t.name}</td>
                  <td>{departmentName(t.departmentId)}</td>
                  <td>{t.isPublic ? 'Yes' : 'Agents only'}</td>
                  <td>{t.fields.length === 0 ? '—' : t.fields.join(', ')}</td>
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
