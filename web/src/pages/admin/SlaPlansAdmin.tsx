import { useState, type FormEvent } from 'react'
import { PRIORITIES, type Priority } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import { useAdminList, useAdminSave, type AdminSlaPlan, type SlaTargets } from './adminApi.ts'

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

export function SlaPlansAdmin() {
  const list = useAdminList<AdminSlaPlan>(BASE)
  const schedules = useAdminList<{ id: number; name: string }>('/api/v1/admin/schedules')
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminSlaPlan | null>(null)
  const [name, setName] = useState('')
  const [scheduleId, setScheduleId] = useState('')
  const [draft, setDraft] = useState<Draft>(() => toDraft(null))

  const edit = (p: AdminSlaPlan | null) => {
    setEditing(p)
    setName(p?.name ?? '')
    setScheduleId(p?.scheduleId ? String(p.scheduleId) : '')
    setDraft(toDraft(p))
    save.reset()
  }
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
      { id: editing?.id, body: { name, scheduleId: scheduleId === '' ? null : Number(scheduleId), targets } },
      { onSuccess: () => edit(null) },
    )
  }
  const scheduleName = (id: number | null) =>
    id === null ? '—' : (schedules.data?.items.find((s) => s.id === id)?.name ?? `#${id}`)

  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">SLA plans</h2>
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
                      <option value="24x7">24x7</option>
                      <option value="business">Business hours</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id} className={p.isActive ? '' : 'disabled-row'}>
                  <td>{p.name}</td>
                  <td>{scheduleName(p.scheduleId)}</td>
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
