// The reports (issue 16): GET /api/v1/reports/{overview,sla,agents,backlog}. Each report is a list of figure
// sources in REPORTS; a source computes some figures per group (and over everything, for the totals) and may
// say which queue lists the tickets behind each number. A new figure is one more entry: `addFigureSource`.
//
// Every figure is read from the facts the report-facts job derives from the event log (src/jobs/reportFacts.ts),
// joined to `tickets` under the reader's scope (ticketScope: what the detail view would show them) and the
// queue's filters (queueConditions), so a report never counts a ticket its reader could not open.
import { z } from 'zod'
import type { App } from '../app.ts'
import { QueueFilters, storedFilters, type StoredFilters } from '../domain/queueFilters.ts'
import { ACTIVE_CATEGORIES, PRIORITY_LABELS, STATUS_CATEGORIES, type Priority } from '../domain/tickets.ts'
import { badRequest } from '../errors.ts'
import type { AgentActor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import {
  agentCounts,
  BACKLOG_BUCKETS,
  backlogCounts,
  countFactsByTimes,
  GROUP_BYS,
  handleTimePercentiles,
  namesOf,
  percentilesOfFacts,
  readProgress,
  reportPickers,
  slaCounts,
  type FactDuration,
  type FactTime,
  type GroupBy,
  type GroupKey,
  type Percentiles,
  type ReportWhere,
} from '../repositories/reportRepo.ts'
import { REPORT_FACTS } from '../jobs/reportFacts.ts'
import { queueConditions } from './ticketQueries.ts'

export const REPORT_NAMES = ['overview', 'sla', 'agents', 'backlog'] as const
export type ReportName = (typeof REPORT_NAMES)[number]

const DAY_MS = 86_400_000
/** The longest range a report covers (and its default: the last 30 days). */
const MAX_RANGE_MS = 2 * 366 * DAY_MS
const DEFAULT_RANGE_MS = 30 * DAY_MS

const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => Date.parse(s))
  .describe('ISO 8601 date or date-time')

/** A report's query: the range, the grouping and the queue's filters (the same names as GET /api/v1/tickets). */
export const ReportQuery = QueueFilters.extend({
  from: instant.optional().describe('Start of the range (inclusive); default 30 days before `to`'),
  to: instant.optional().describe('End of the range (exclusive); default now'),
  groupBy: z
    .enum(GROUP_BYS)
    .optional()
    .describe('Rows per day, week, department, agent, team, priority, channel or topic'),
})
export type ReportQuery = z.infer<typeof ReportQuery>

export type Unit = 'tickets' | 'count' | 'ms'
export interface FigureDef {
  key: string
  label: string
  unit: Unit
}
export type FigureValues = Record<string, number | null>

export interface ReportContext {
  app: App
  actor: AgentActor
  where: ReportWhere
  now: number
  groupBy: GroupBy | null
}

export interface FigureSource {
  figures: readonly FigureDef[]
  /** Values per group key, and under TOTAL when `groupBy` is null. */
  compute(ctx: ReportContext, groupBy: GroupBy | null): Promise<Map<GroupKey, FigureValues>>
  /**
   * The queue filters that list the tickets behind one figure's number (on top of the report's own filters and
   * the row's group), or null when no queue can list exactly them. `byCreation`: the figure counts tickets by
   * when they were created, so a row of a day or week links to the tickets created then.
   */
  link?(figure: string, ctx: ReportContext): { filters: StoredFilters; byCreation: boolean } | null
}

export const TOTAL = '*'
const ALL_CATEGORIES = [...STATUS_CATEGORIES]
const iso = (ms: number) => new Date(ms).toISOString()
/** The queue's createdTo is inclusive, the report's `to` exclusive. */
const createdIn = (from: number, to: number) => ({ createdFrom: iso(from), createdTo: iso(to - 1) })

const durations = (prefix: string, label: string): FigureDef[] => [
  { key: `${prefix}MedianMs`, label: `${label}, median (calendar)`, unit: 'ms' },
  { key: `${prefix}P90Ms`, label: `${label}, 90th percentile (calendar)`, unit: 'ms' },
  { key: `${prefix}BusinessMedianMs`, label: `${label}, median (business hours)`, unit: 'ms' },
  { key: `${prefix}BusinessP90Ms`, label: `${label}, 90th percentile (business hours)`, unit: 'ms' },
]

function merge(into: Map<GroupKey, FigureValues>, key: GroupKey, values: FigureValues) {
  into.set(key, { ...(into.get(key) ?? {}), ...values })
}

/** Counts of tickets by the facts' times, one figure per time. */
function countSource(
  counts: readonly { key: string; label: string; time: FactTime }[],
  link?: FigureSource['link'],
): FigureSource {
  return {
    figures: counts.map(({ key, label }) => ({ key, label, unit: 'tickets' })),
    async compute(ctx, groupBy) {
      const { dialect, heavyRead } = ctx.app.db
      const times = counts.map((c) => c.time)
      const maps = await countFactsByTimes(dialect, heavyRead, ctx.where, times, groupBy)
      const out = new Map<GroupKey, FigureValues>()
      maps.forEach((m, i) => {
        for (const [g, n] of m) merge(out, g, { [counts[i]!.key]: n })
      })
      return out
    },
    ...(link ? { link } : {}),
  }
}

/** Median and 90th percentile of a duration in calendar and in business time. */
function durationSource(
  prefix: string,
  label: string,
  time: FactTime,
  calendar: FactDuration,
  business: FactDuration,
): FigureSource {
  return {
    figures: durations(prefix, label),
    async compute(ctx, groupBy) {
      const { dialect, heavyRead } = ctx.app.db
      const [cal, bus] = await percentilesOfFacts(
        dialect,
        heavyRead,
        ctx.where,
        time,
        [calendar, business],
        groupBy,
      )
      const out = new Map<GroupKey, FigureValues>()
      const put = (m: Map<GroupKey, Percentiles>, suffix: string) => {
        for (const [g, p] of m)
          merge(out, g, { [`${prefix}${suffix}MedianMs`]: p.median, [`${prefix}${suffix}P90Ms`]: p.p90 })
      }
      put(cal!, '')
      put(bus!, 'Business')
      return out
    },
  }
}

const SLA_TARGETS = [
  ['firstResponse', 'First response'],
  ['nextResponse', 'Next response'],
  ['resolution', 'Resolution'],
] as const

const slaSource: FigureSource = {
  figures: [
    { key: 'tickets', label: 'Tickets created', unit: 'tickets' },
    { key: 'breachedTickets', label: 'Tickets with a breached target', unit: 'tickets' },
    ...SLA_TARGETS.flatMap(([key, label]): FigureDef[] => [
      { key: `${key}Met`, label: `${label} met`, unit: 'tickets' },
      { key: `${key}Breached`, label: `${label} breached`, unit: 'tickets' },
      { key: `${key}Running`, label: `${label} running`, unit: 'tickets' },
    ]),
  ],
  async compute(ctx, groupBy) {
    const counts = await slaCounts(ctx.app.db.dialect, ctx.app.db.heavyRead, ctx.where, groupBy, ctx.now)
    return new Map(
      [...counts].map(([g, c]) => {
        const values: FigureValues = { tickets: c.tickets, breachedTickets: c.breachedTickets }
        for (const [key] of SLA_TARGETS) {
          values[`${key}Met`] = c[key].met
          values[`${key}Breached`] = c[key].breached
          values[`${key}Running`] = c[key].running
        }
        return [g, values]
      }),
    )
  },
  link(figure, ctx) {
    const base = { statusCategory: ALL_CATEGORIES, ...createdIn(ctx.where.from, ctx.where.to) }
    if (figure === 'tickets') return { filters: base, byCreation: true }
    // The queue's SLA filter is the ticket's state now: breached while a running target is past due or once
    // any target was missed and none runs (see docs/reports.md for where this differs from the count).
    if (figure === 'breachedTickets') return { filters: { ...base, sla: ['breached'] }, byCreation: true }
    return null
  },
}

const backlogSource: FigureSource = {
  figures: [
    ...BACKLOG_BUCKETS.map((b): FigureDef => ({ key: b.key, label: b.label, unit: 'tickets' })),
    { key: 'total', label: 'Open tickets', unit: 'tickets' },
  ],
  async compute(ctx, groupBy) {
    const active = ctx.app.statuses.keysIn(ACTIVE_CATEGORIES)
    const counts = await backlogCounts(
      ctx.app.db.dialect,
      ctx.app.db.heavyRead,
      ctx.where,
      active,
      groupBy,
      ctx.now,
    )
    return new Map(
      [...counts].map(([g, c]) => [g, { ...c, total: Object.values(c).reduce((a, b) => a + b, 0) }]),
    )
  },
  link(figure, ctx) {
    const filters: StoredFilters = { statusCategory: [...ACTIVE_CATEGORIES] }
    const i = BACKLOG_BUCKETS.findIndex((b) => b.key === figure)
    if (i >= 0) {
      const bucket = BACKLOG_BUCKETS[i]!
      const younger = i === 0 ? 0 : BACKLOG_BUCKETS[i - 1]!.maxDays!
      if (bucket.maxDays !== null) filters.createdFrom = iso(ctx.now - bucket.maxDays * DAY_MS + 1)
      filters.createdTo = iso(ctx.now - younger * DAY_MS)
    } else if (figure !== 'total') return null
    return { filters, byCreation: false }
  },
}

const agentSource: FigureSource = {
  figures: [
    { key: 'assigned', label: 'Assigned', unit: 'tickets' },
    { key: 'replied', label: 'Replied to', unit: 'tickets' },
    { key: 'replies', label: 'Replies', unit: 'count' },
    { key: 'resolved', label: 'Resolved', unit: 'tickets' },
    { key: 'handleMs', label: 'Handle time, total', unit: 'ms' },
    { key: 'handleMedianMs', label: 'Handle time, median', unit: 'ms' },
    { key: 'handleP90Ms', label: 'Handle time, 90th percentile', unit: 'ms' },
  ],
  async compute(ctx, groupBy) {
    const { dialect, heavyRead } = ctx.app.db
    const [counts, handle] = await Promise.all([
      agentCounts(dialect, heavyRead, ctx.where),
      groupBy === null
        ? Promise.resolve(new Map<GroupKey, Percentiles>())
        : handleTimePercentiles(dialect, heavyRead, ctx.where),
    ])
    const out = new Map<GroupKey, FigureValues>()
    if (groupBy === null) {
      const total: FigureValues = { assigned: 0, replied: 0, replies: 0, resolved: 0, handleMs: 0 }
      for (const c of counts.values())
        for (const k of ['assigned', 'replied', 'replies', 'resolved', 'handleMs'] as const)
          total[k] = (total[k] ?? 0) + c[k]
      out.set(TOTAL, { ...total, handleMedianMs: null, handleP90Ms: null })
      return out
    }
    for (const [agentId, c] of counts) {
      const p = handle.get(agentId)
      out.set(agentId, { ...c, handleMedianMs: p?.median ?? null, handleP90Ms: p?.p90 ?? null })
    }
    return out
  },
}

const createdLink: FigureSource['link'] = (_figure, ctx) => ({
  filters: { statusCategory: ALL_CATEGORIES, ...createdIn(ctx.where.from, ctx.where.to) },
  byCreation: true,
})

/** The reports and their figure sources, in the order their figures are listed. */
export const REPORTS: Record<ReportName, FigureSource[]> = {
  overview: [
    countSource(
      [
        { key: 'created', label: 'Tickets created', time: 'tickets.created_at' },
        { key: 'firstResponses', label: 'First responses', time: 'tickets.first_response_at' },
        { key: 'resolved', label: 'Resolved', time: 'tickets.resolved_at' },
        { key: 'reopened', label: 'Reopened', time: 'tickets.last_reopened_at' },
      ],
      (figure, ctx) => (figure === 'created' ? createdLink(figure, ctx) : null),
    ),
    durationSource(
      'firstResponse',
      'First response time',
      'tickets.first_response_at',
      'tickets.first_response_ms',
      'tickets.first_response_business_ms',
    ),
    durationSource(
      'resolution',
      'Resolution time',
      'tickets.resolved_at',
      'tickets.resolution_ms',
      'tickets.resolution_business_ms',
    ),
  ],
  sla: [slaSource],
  agents: [agentSource],
  backlog: [backlogSource],
}

/** Adds figures to a report (time tracking, satisfaction…): one more entry in REPORTS. */
export function addFigureSource(report: ReportName, source: FigureSource): void {
  REPORTS[report].push(source)
}

export interface ReportRow {
  key: string | number | null
  label: string
  values: FigureValues
  /** Per figure, the queue filters listing the tickets behind the number (absent: no such queue). */
  links: Record<string, StoredFilters>
}

export interface Report {
  report: ReportName
  from: number
  to: number
  groupBy: GroupBy | null
  generatedAt: number
  /** The facts include every event up to this id (the report-facts job's watermark). */
  factsUpToEventId: number
  figures: FigureDef[]
  rows: ReportRow[]
  total: ReportRow
}

export async function runReport(
  app: App,
  actor: AgentActor,
  name: ReportName,
  query: ReportQuery,
): Promise<Report> {
  const now = app.clock.now()
  const to = query.to ?? now
  const from = query.from ?? to - DEFAULT_RANGE_MS
  if (!(from < to)) throw badRequest('invalid_range', '`from` must be before `to`.')
  if (to - from > MAX_RANGE_MS) throw badRequest('invalid_range', 'A report covers at most two years.')
  // The agents report has a row per agent, whatever the grouping asked for.
  const groupBy = name === 'agents' ? 'agent' : (query.groupBy ?? null)
  const { from: _f, to: _t, groupBy: _g, ...filters } = query
  const ctx: ReportContext = {
    app,
    actor,
    now,
    groupBy,
    where: { scope: ticketScope(actor), conditions: queueConditions(app, actor, 'all', filters), from, to },
  }
  const sources = REPORTS[name]
  const [grouped, totals, factsUpTo] = await Promise.all([
    groupBy === null ? Promise.resolve([]) : Promise.all(sources.map((s) => s.compute(ctx, groupBy))),
    Promise.all(sources.map((s) => s.compute(ctx, null))),
    readProgress(app.db.read, REPORT_FACTS),
  ])
  const figures = sources.flatMap((s) => [...s.figures])
  const base = storedFilters(filters)
  const rowOf = (key: GroupKey, label: string, maps: Map<GroupKey, FigureValues>[]): ReportRow => {
    const values: FigureValues = Object.fromEntries(figures.map((f) => [f.key, f.unit === 'ms' ? null : 0]))
    maps.forEach((m) => Object.assign(values, m.get(key) ?? {}))
    const links: Record<string, StoredFilters> = {}
    sources.forEach((s) => {
      for (const f of s.figures) {
        const link = s.link?.(f.key, ctx)
        if (!link) continue
        const group = key === TOTAL ? {} : groupFilter(groupBy, key, link.byCreation)
        if (group) links[f.key] = { ...base, ...link.filters, ...group }
      }
    })
    return { key: key === TOTAL ? null : key, label, values, links }
  }
  const keys = new Set<GroupKey>()
  for (const m of grouped) for (const k of m.keys()) keys.add(k)
  const labels = await groupLabels(app, groupBy, [...keys])
  const rows = [...keys].sort(compareKeys).map((k) => rowOf(k, labels.get(k) ?? String(k), grouped))
  return {
    report: name,
    from,
    to,
    groupBy,
    generatedAt: now,
    factsUpToEventId: factsUpTo,
    figures,
    rows,
    total: rowOf(TOTAL, 'Total', totals),
  }
}

/** The queue filter that picks a row's group, or null when the queue has none (channel, topic, no team). */
function groupFilter(groupBy: GroupBy | null, key: GroupKey, byCreation: boolean): StoredFilters | null {
  switch (groupBy) {
    case null:
      return {}
    case 'day':
    case 'week': {
      if (!byCreation || typeof key !== 'number') return null
      return createdIn(key * DAY_MS, (key + (groupBy === 'day' ? 1 : 7)) * DAY_MS)
    }
    case 'department':
      return typeof key === 'number' ? { departmentId: [key] } : null
    case 'agent':
      return { assignee: [typeof key === 'number' ? key : 'none'] }
    case 'team':
      return typeof key === 'number' ? { teamId: [key] } : null
    case 'priority':
      return typeof key === 'string' ? { priority: [key as Priority] } : null
    case 'channel':
    case 'topic':
      return null
  }
}

function compareKeys(a: GroupKey, b: GroupKey): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b))
}

async function groupLabels(
  app: App,
  groupBy: GroupBy | null,
  keys: GroupKey[],
): Promise<Map<GroupKey, string>> {
  const ids = keys.filter((k): k is number => typeof k === 'number')
  const db = app.db.read
  const none = new Map<GroupKey, string>([[null, 'None']])
  const named = async (table: Parameters<typeof namesOf>[1], unnamed: string) => {
    const names = await namesOf(db, table, ids)
    return new Map<GroupKey, string>([[null, unnamed], ...names])
  }
  switch (groupBy) {
    case null:
      return none
    case 'day':
      return new Map(ids.map((d) => [d, iso(d * DAY_MS).slice(0, 10)]))
    case 'week':
      return new Map(ids.map((d) => [d, `Week of ${iso(d * DAY_MS).slice(0, 10)}`]))
    case 'department':
      return named('departments', 'None')
    case 'agent':
      return named('users', 'Unassigned')
    case 'team':
      return named('teams', 'No team')
    case 'topic':
      return named('help_topics', 'No topic')
    case 'priority':
      return new Map(keys.map((k) => [k, PRIORITY_LABELS[k as Priority] ?? String(k)]))
    case 'channel':
      return new Map(keys.map((k) => [k, String(k)]))
  }
}

/** What the dashboard offers the reader: the departments and teams to narrow to, and whether to show it. */
export async function reportOptions(app: App, actor: AgentActor) {
  const pickers = await reportPickers(app.db.read, actor.id, [...actor.roles.keys()])
  return { ...pickers, dashboard: actor.isAdmin || pickers.managesDepartment }
}

/** The groupings a report takes (the route's schema lists them). */
export { GROUP_BYS }
