import { useState, type FormEvent } from 'react'
import { choices } from '@shared/choices.ts'
import { WEEKDAY_LABELS, WEEKDAYS as WEEKDAY_VALUES, type Weekday } from '@shared/sla.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { useAdminList, useAdminSave } from './adminApi.ts'

const BASE = '/api/v1/admin/schedules'
const WEEKDAYS = choices(WEEKDAY_VALUES, WEEKDAY_LABELS)
type Day = Weekday
interface Interval {
  start: string
  end: string
}
interface AdminSchedule {
  id: number
  name: string
  timeZone: string
  weekly: Partial<Record<Day, Interval[]>>
  holidays: string[]
}
type Hours = Record<Day, Interval>

function toHours(s: AdminSchedule | null): Hours {
  const hours = {} as Hours
  for (const [day] of WEEKDAYS) hours[day] = s?.weekly[day]?.[0] ?? { start: '', end: '' }
  return hours
}

function describeWeek(s: AdminSchedule): string {
  return WEEKDAYS.filter(([d]) => (s.weekly[d]?.length ?? 0) > 0)
    .map(([d, name]) => `${name.slice(0, 3)} ${s.weekly[d]!.map((i) => `${i.start}–${i.end}`).join(', ')}`)
    .join('; ')
}

/** Business-hours schedules. The form edits one opening interval per weekday (empty: closed). */
export function SchedulesAdmin() {
  const list = useAdminList<AdminSchedule>(BASE)
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminSchedule | null>(null)
  const [name, setName] = useState('')
  const [timeZone, setTimeZone] = useState('UTC')
  const [hours, setHours] = useState<Hours>(() => toHours(null))
  const [holidays, setHolidays] = useState('')

  const edit = (s: AdminSchedule | null) => {
    setEditing(s)
    setName(s?.name ?? '')
    setTimeZone(s?.timeZone ?? 'UTC')
    setHours(toHours(s))
    setHolidays(s?.holidays.join('\n') ?? '')
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const weekly: Partial<Record<Day, Interval[]>> = {}
    for (const [day] of WEEKDAYS) {
      const h = hours[day]
      // Keep a day's further intervals (set through the API) when its first one is unchanged.
      const rest = editing?.weekly[day]?.slice(1) ?? []
      if (h.start && h.end) weekly[day] = [{ start: h.start, end: h.end }, ...rest]
    }
    const body = {
      name,
      timeZone,
      weekly,
      holidays: holidays
        .split(/[\s,]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    }
    save.mutate({ id: editing?.id, body }, { onSuccess: () => edit(null) })
  }

  return (
    <section aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      <form className="card" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'New schedule'}>
        <div className="inline-form">
          <label className="field">
            <span>Name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>Time zone</span>
            <input
              required
              maxLength={64}
              placeholder="Europe/Berlin"
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
            />
          </label>
        </div>
        <div className="table-wrap">
          <table>
            <caption>Opening hours (leave a day empty when closed)</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Opens</th>
                <th scope="col">Closes</th>
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map(([day, dayName]) => (
                <tr key={day}>
                  <th scope="row">{dayName}</th>
                  {(['start', 'end'] as const).map((edge) => (
                    <td key={edge}>
                      <input
                        type="time"
                        aria-label={`${dayName} ${edge === 'start' ? 'opens' : 'closes'}`}
                        value={hours[day][edge]}
                        onChange={(e) =>
                          setHours((h) => ({ ...h, [day]: { ...h[day], [edge]: e.target.value } }))
                        }
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <label className="field">
          <span>Holidays (one date a line, YYYY-MM-DD)</span>
          <textarea rows={3} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save schedule' : 'Create schedule'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading schedules" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Time zone</th>
                <th scope="col">Hours</th>
                <th scope="col">Holidays</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.timeZone}</td>
                  <td>{describeWeek(s)}</td>
                  <td>{s.holidays.length}</td>
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
