// "Satisfaction & time" (issue 16): the satisfaction and time reports as tables, for a period and a grouping,
// over the tickets the agent may see (the endpoints apply the ticket scope).
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { get } from '../../api.ts'
import { formatMinutes } from '../../insight/time.tsx'
import { ErrorBox, Field, Loading } from '../../ui.tsx'

const GROUPS = [
  ['agent', 'Agent'],
  ['team', 'Team'],
  ['department', 'Department'],
  ['organisation', 'Organisation'],
] as const
type Group = (typeof GROUPS)[number][0]

interface Key {
  id: number
  name: string
}
interface Satisfaction {
  asked: number
  good: number
  bad: number
  answered: number
  score: number | null
}
interface Time {
  entries: number
  minutes: number
  billableMinutes: number
  nonBillableMinutes: number
}
interface Report<T> {
  from: string
  to: string
  rows: (T & { key: Key | null })[]
  totals: T
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function SatisfactionTimeReport() {
  useEffect(() => {
    document.title = 'Satisfaction & time · Switchboard'
  }, [])
  const [from, setFrom] = useState(() => day(Date.now() - 29 * 24 * 3600_000))
  const [to, setTo] = useState(() => day(Date.now()))
  const [groupBy, setGroupBy] = useState<Group>('agent')
  const query = `from=${from}&to=${to}&groupBy=${groupBy}`
  const valid = from !== '' && to !== '' && from <= to
  const satisfaction = useQuery({
    queryKey: ['reports', 'satisfaction', query],
    queryFn: () => get<Report<Satisfaction>>(`/api/v1/reports/satisfaction?${query}`),
    enabled: valid,
  })
  const time = useQuery({
    queryKey: ['reports', 'time', query],
    queryFn: () => get<Report<Time>>(`/api/v1/reports/time?${query}`),
    enabled: valid,
  })
  const groupName = GROUPS.find(([k]) => k === groupBy)![1]
  const none = `No ${groupName.toLowerCase()}`
  return (
    <main className="page report">
      <h1>Satisfaction &amp; time</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Report period">
        <Field label="From">
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label="To">
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Field label="Group by">
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as Group)}>
            {GROUPS.map(([k, name]) => (
              <option key={k} value={k}>
                {name}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {!valid && (
        <p className="error" role="alert">
          Choose a start on or before the end.
        </p>
      )}

      <section aria-labelledby="csat-report-title">
        <h2 id="csat-report-title">Satisfaction</h2>
        <p className="muted">Tickets resolved in the period whose requester was asked, and their answers.</p>
        {satisfaction.isPending && valid && <Loading />}
        {satisfaction.isError && (
          <ErrorBox error={satisfaction.error} retry={() => void satisfaction.refetch()} />
        )}
        {satisfaction.data && (
          <table aria-labelledby="csat-report-title">
            <thead>
              <tr>
                <th scope="col">{groupName}</th>
                <th scope="col">Asked</th>
                <th scope="col">Good</th>
                <th scope="col">Bad</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {satisfaction.data.rows.map((r) => (
                <tr key={r.key?.id ?? 'none'}>
                  <th scope="row">{r.key?.name ?? none}</th>
                  <SatisfactionCells r={r} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <SatisfactionCells r={satisfaction.data.totals} />
              </tr>
            </tfoot>
          </table>
        )}
      </section>

      <section aria-labelledby="time-report-title">
        <h2 id="time-report-title">Time spent</h2>
        <p className="muted">Time logged in the period.</p>
        {time.isPending && valid && <Loading />}
        {time.isError && <ErrorBox error={time.error} retry={() => void time.refetch()} />}
        {time.data && (
          <table aria-labelledby="time-report-title">
            <thead>
              <tr>
                <th scope="col">{groupName}</th>
                <th scope="col">Entries</th>
                <th scope="col">Total</th>
                <th scope="col">Billable</th>
                <th scope="col">Not billable</th>
              </tr>
            </thead>
            <tbody>
              {time.data.rows.map((r) => (
                <tr key={r.key?.id ?? 'none'}>
                  <th scope="row">{r.key?.name ?? none}</th>
                  <TimeCells r={r} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <TimeCells r={time.data.totals} />
              </tr>
            </tfoot>
          </table>
        )}
      </section>
    </main>
  )
}

function SatisfactionCells({ r }: { r: Satisfaction }) {
  return (
    <>
      <td>{r.asked}</td>
      <td>{r.good}</td>
      <td>{r.bad}</td>
      <td>{r.score === null ? '—' : `${r.score}% good`}</td>
    </>
  )
}

function TimeCells({ r }: { r: Time }) {
  return (
    <>
      <td>{r.entries}</td>
      <td>{formatMinutes(r.minutes)}</td>
      <td>{formatMinutes(r.billableMinutes)}</td>
      <td>{formatMinutes(r.nonBillableMinutes)}</td>
    </>
  )
}
