// The reports dashboard (issue 16): the figures of GET /api/v1/reports/{overview,sla,backlog,agents} as charts
// (recharts) with a table beside each one as its text equivalent, narrowed by date range, department and team
// (kept in the URL). Every number that a queue can list links to that queue, filtered to the same tickets.
import { useQuery } from '@tanstack/react-query'
import { useEffect, type ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { get, type QueueFilters } from '../../api.ts'
import { ErrorBox, Field, Loading } from '../../ui.tsx'
import {
  exportLink,
  formatValue,
  GROUP_BYS,
  queueLink,
  type GroupBy,
  type Report,
  type ReportName,
  type ReportOptions,
  type ReportRow,
} from './reportsApi.ts'

const DAY = 86_400_000
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function useReport(name: ReportName, query: string) {
  return useQuery({
    queryKey: ['reports', name, query],
    queryFn: () => get<Report>(`/api/v1/reports/${name}?${query}`),
  })
}

export function DashboardPage() {
  const [params, setParams] = useSearchParams()
  const today = isoDate(Date.now())
  const to = params.get('to') ?? today
  const from = params.get('from') ?? isoDate(Date.parse(to) - 29 * DAY)
  const departmentId = params.get('departmentId') ?? ''
  const teamId = params.get('teamId') ?? ''
  const groupBy = (params.get('groupBy') ?? 'day') as GroupBy
  const options = useQuery({
    queryKey: ['reports', 'options'],
    queryFn: () => get<ReportOptions>('/api/v1/reports'),
  })

  // `to` is a day: the range runs to the end of it.
  const filters: QueueFilters = {
    ...(departmentId ? { departmentId: [Number(departmentId)] } : {}),
    ...(teamId ? { teamId: [Number(teamId)] } : {}),
  }
  const query = new URLSearchParams({
    from: `${from}T00:00:00Z`,
    to: new Date(Date.parse(to) + DAY).toISOString(),
    groupBy,
  })
  if (departmentId) query.set('departmentId', departmentId)
  if (teamId) query.set('teamId', teamId)
  const q = query.toString()
  const overview = useReport('overview', q)
  const sla = useReport('sla', q)
  const backlog = useReport('backlog', q)
  const agents = useReport('agents', q)

  useEffect(() => {
    document.title = 'Reports · Switchboard'
  }, [])

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: true })
  }

  return (
    <main className="page reports">
      <div className="page-head">
        <h1>Reports</h1>
        <a
          className="button"
          href={exportLink({
            ...filters,
            createdFrom: `${from}T00:00:00Z`,
            createdTo: new Date(Date.parse(to) + DAY - 1).toISOString(),
          })}
          download
        >
          Export tickets (CSV)
        </a>
      </div>
      {options.data && !options.data.dashboard && (
        <p className="muted">
          The dashboard is meant for department managers and admins; you see your own tickets.
        </p>
      )}
      <form className="report-filters" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          <input type="date" value={from} max={to} onChange={(e) => set('from', e.target.value)} />
        </Field>
        <Field label="To">
          <input type="date" value={to} min={from} onChange={(e) => set('to', e.target.value)} />
        </Field>
        <Field label="Department">
          <select value={departmentId} onChange={(e) => set('departmentId', e.target.value)}>
            <option value="">All my departments</option>
            {options.data?.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Team">
          <select value={teamId} onChange={(e) => set('teamId', e.target.value)}>
            <option value="">Any team</option>
            {options.data?.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Group by">
          <select value={groupBy} onChange={(e) => set('groupBy', e.target.value)}>
            {GROUP_BYS.map((g) => (
              <option key={g.key} value={g.key}>
                {g.name}
              </option>
            ))}
          </select>
        </Field>
      </form>

      <Section title="Volume" report={overview}>
        {(r) => (
          <>
            <Tiles row={r.total} report={r} keys={['created', 'firstResponses', 'resolved', 'reopened']} />
            <Chart
              title="Tickets created and resolved"
              rows={r.rows}
              bars={[
                ['created', 'Created', '#2563eb'],
                ['resolved', 'Resolved', '#16a34a'],
              ]}
            />
            <FigureTable
              report={r}
              keys={['created', 'firstResponses', 'resolved', 'reopened']}
              caption="Volume"
            />
          </>
        )}
      </Section>

      <Section title="Response and resolution times" report={overview}>
        {(r) => (
          <FigureTable
            report={r}
            caption="Median and 90th percentile, in calendar time and in each ticket's business hours"
            keys={r.figures.filter((f) => f.unit === 'ms').map((f) => f.key)}
          />
        )}
      </Section>

      <Section title="Service levels" report={sla}>
        {(r) => (
          <>
            <Tiles row={r.total} report={r} keys={['tickets', 'breachedTickets']} />
            <SlaCompliance row={r.total} />
            <Chart
              title="First response targets met and breached"
              rows={r.rows}
              bars={[
                ['firstResponseMet', 'Met', '#16a34a'],
                ['firstResponseBreached', 'Breached', '#dc2626'],
              ]}
            />
            <FigureTable report={r} keys={r.figures.map((f) => f.key)} caption="SLA targets" />
          </>
        )}
      </Section>

      <Section title="Backlog by age" report={backlog}>
        {(r) => (
          <>
            <Chart
              title="Open tickets by age"
              rows={r.figures
                .filter((f) => f.key !== 'total')
                .map((f) => ({
                  key: f.key,
                  label: f.label,
                  values: { n: r.total.values[f.key] ?? 0 },
                  links: {},
                }))}
              bars={[['n', 'Open tickets', '#2563eb']]}
            />
            <Tiles row={r.total} report={r} keys={r.figures.map((f) => f.key)} />
          </>
        )}
      </Section>

      <Section title="Agents" report={agents}>
        {(r) => <FigureTable report={r} keys={r.figures.map((f) => f.key)} caption="Per agent" />}
      </Section>
    </main>
  )
}

function Section({
  title,
  report,
  children,
}: {
  title: string
  report: ReturnType<typeof useReport>
  children: (r: Report) => ReactNode
}) {
  const id = `report-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`
  return (
    <section className="card report-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {report.isError ? (
        <ErrorBox error={report.error} retry={() => void report.refetch()} />
      ) : report.data ? (
        children(report.data)
      ) : (
        <Loading />
      )}
    </section>
  )
}

/** A number, linked to its queue when one lists the same tickets. */
function Figure({ row, figure, report }: { row: ReportRow; figure: string; report: Report }) {
  const def = report.figures.find((f) => f.key === figure)
  const text = formatValue(def?.unit ?? 'count', row.values[figure] ?? null)
  const link = row.links[figure]
  if (!link) return <>{text}</>
  return (
    <Link
      to={queueLink(link)}
      aria-label={`${text}: ${def?.label ?? figure}${row.key === null ? '' : `, ${row.label}`}`}
    >
      {text}
    </Link>
  )
}

function Tiles({ row, report, keys }: { row: ReportRow; report: Report; keys: string[] }) {
  return (
    <dl className="report-tiles">
      {keys.map((k) => (
        <div key={k} className="report-tile">
          <dt>{report.figures.find((f) => f.key === k)?.label ?? k}</dt>
          <dd>
            <Figure row={row} figure={k} report={report} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

function SlaCompliance({ row }: { row: ReportRow }) {
  const targets: [string, string][] = [
    ['firstResponse', 'First response'],
    ['nextResponse', 'Next response'],
    ['resolution', 'Resolution'],
  ]
  return (
    <ul className="plain-list report-compliance">
      {targets.map(([key, label]) => {
        const met = row.values[`${key}Met`] ?? 0
        const breached = row.values[`${key}Breached`] ?? 0
        const share = met + breached === 0 ? null : Math.round((1000 * met) / (met + breached)) / 10
        return (
          <li key={key}>
            {label}: {share === null ? 'no targets due' : `${share}% met`} ({met} met, {breached} breached)
          </li>
        )
      })}
    </ul>
  )
}

/** A bar chart; the table under it (or beside it) carries the same numbers as text. */
function Chart({
  title,
  rows,
  bars,
}: {
  title: string
  rows: ReportRow[]
  /** Figure key, name and colour of each bar. */
  bars: [string, string, string][]
}) {
  if (rows.length === 0) return <p className="muted">Nothing in this range.</p>
  const data = rows.map((r) => ({ label: r.label, ...r.values }))
  return (
    <figure className="report-chart">
      <figcaption>{title}</figcaption>
      <div role="img" aria-label={`${title}: chart; the same figures are in the table below`}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {bars.map(([key, name, colour]) => (
              <Bar key={key} dataKey={key} name={name} fill={colour} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}

function FigureTable({ report, keys, caption }: { report: Report; keys: string[]; caption: string }) {
  const figures = keys.map((k) => report.figures.find((f) => f.key === k)).filter((f) => f !== undefined)
  return (
    <div className="report-table-scroll">
      <table className="report-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">
              {report.groupBy ? (GROUP_BYS.find((g) => g.key === report.groupBy)?.name ?? '') : ''}
            </th>
            {figures.map((f) => (
              <th key={f.key} scope="col">
                {f.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...report.rows, report.total].map((row) => (
            <tr key={String(row.key ?? row.label)}>
              <th scope="row">{row.label}</th>
              {figures.map((f) => (
                <td key={f.key}>
                  <Figure row={row} figure={f.key} report={report} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
