// GET /api/v1/reports/tickets.csv: the tickets the reader may see that match the queue's filters, one CSV line
// each, read in keyset batches by id so that a million rows pass through in bounded memory.
import type { App } from '../app.ts'
import type { QueueFilters } from '../domain/queueFilters.ts'
import type { AgentActor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { exportBatch } from '../repositories/reportRepo.ts'
import { queueConditions } from './ticketQueries.ts'

const BATCH = 1000

export const CSV_COLUMNS = [
  'number',
  'subject',
  'status',
  'priority',
  'channel',
  'department',
  'team',
  'assignee',
  'requester',
  'requester_email',
  'topic',
  'sla_state',
  'created_at',
  'first_response_at',
  'first_response_minutes',
  'first_response_business_minutes',
  'resolved_at',
  'resolution_minutes',
  'resolution_business_minutes',
  'reopened',
  'responses',
] as const

/**
 * One CSV cell. A spreadsheet runs a cell that begins with = + - @ (and, in some, tab or CR) as a formula; such
 * a cell gets a leading apostrophe, which shows as text (OWASP's advice on CSV injection). Then RFC 4180 quoting.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) || s !== String(value) ? `"${s.replace(/"/g, '""')}"` : s
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10)

/** The CSV, header first, as lines of text produced batch by batch. */
export async function* ticketsCsv(
  app: App,
  actor: AgentActor,
  filters: QueueFilters,
): AsyncGenerator<string> {
  const where = { scope: ticketScope(actor), conditions: queueConditions(app, actor, 'all', filters) }
  yield `${CSV_COLUMNS.join(',')}\r\n`
  let after = 0
  for (;;) {
    const rows = await exportBatch(app.db.dialect, app.db.heavyRead, where, after, BATCH)
    if (rows.length === 0) return
    let chunk = ''
    for (const r of rows) {
      const cells = [
        r.number,
        r.subject,
        r.status,
        r.priority,
        r.source,
        r.department,
        r.team,
        r.assignee,
        r.requester_name,
        r.requester_email,
        r.topic,
        r.sla_state,
        iso(Number(r.created_at)),
        iso(r.first_response_at === null ? null : Number(r.first_response_at)),
        minutes(r.first_response_ms === null ? null : Number(r.first_response_ms)),
        minutes(r.first_response_business_ms === null ? null : Number(r.first_response_business_ms)),
        iso(r.resolved_at === null ? null : Number(r.resolved_at)),
        minutes(r.resolution_ms === null ? null : Number(r.resolution_ms)),
        minutes(r.resolution_business_ms === null ? null : Number(r.resolution_business_ms)),
        r.reopen_count ?? 0,
        r.responses ?? 0,
      ]
      chunk += `${cells.map(csvCell).join(',')}\r\n`
    }
    yield chunk
    after = rows[rows.length - 1]!.id
    if (rows.length < BATCH) return
  }
}
