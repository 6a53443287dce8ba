// The reports API as the dashboard reads it (GET /api/v1/reports/…), and the links from a number to its queue.
import type { QueueFilters } from '../../api.ts'

export type ReportName = 'overview' | 'sla' | 'agents' | 'backlog'
export type GroupBy = 'day' | 'week' | 'department' | 'agent' | 'team' | 'priority' | 'channel' | 'topic'

export interface ReportRow {
  key: string | number | null
  label: string
  values: Record<string, number | null>
  links: Record<string, QueueFilters>
}

export interface Report {
  report: ReportName
  from: string
  to: string
  groupBy: GroupBy | null
  figures: { key: string; label: string; unit: 'tickets' | 'count' | 'ms' }[]
  rows: ReportRow[]
  total: ReportRow
}

export interface ReportOptions {
  dashboard: boolean
  departments: { id: number; name: string }[]
  teams: { id: number; name: string }[]
}

export const GROUP_BYS: { key: GroupBy; name: string }[] = [
  { key: 'day', name: 'Day' },
  { key: 'week', name: 'Week' },
  { key: 'department', name: 'Department' },
  { key: 'agent', name: 'Agent' },
  { key: 'team', name: 'Team' },
  { key: 'priority', name: 'Priority' },
  { key: 'channel', name: 'Channel' },
  { key: 'topic', name: 'Topic' },
]

function filterParams(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams()
  for (const [field, value] of Object.entries(filters) as [string, unknown][]) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(field, value.join(','))
    } else params.set(field, String(value))
  }
  return params
}

/** The queue page (it reads its filters from the URL) listing the tickets behind a number. */
export const queueLink = (filters: QueueFilters) => `/agent/queues/all?${filterParams(filters).toString()}`

/** The CSV export of the tickets matching `filters`. */
export const exportLink = (filters: QueueFilters) =>
  `/api/v1/reports/tickets.csv?${filterParams(filters).toString()}`

/** A duration for people: "45 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—'
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  const days = Math.floor(hours / 24)
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`
}

export function formatValue(unit: 'tickets' | 'count' | 'ms', value: number | null): string {
  if (unit === 'ms') return formatDuration(value)
  return value === null ? '—' : value.toLocaleString()
}
