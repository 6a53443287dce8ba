// Reads of time tracking: a ticket's entries with their totals, and the report per group.
import type { App } from '../app.ts'
import { notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { timeByGroup, timeEntriesOfTicket, type TimeEntryRow } from '../repositories/timeEntryRepo.ts'
import { reportRange, type ReportQuery } from './reportRange.ts'
import { findVisibleTicket } from './ticketQueries.ts'

const iso = (ms: number) => new Date(ms).toISOString()

export function presentTimeEntry(e: TimeEntryRow, viewer: Actor) {
  return {
    id: e.id,
    minutes: e.minutes,
    note: e.note,
    billable: e.billable === 1,
    entryId: e.entry_id,
    agent: { id: e.agent_id, name: e.agent_name },
    createdAt: iso(e.created_at),
    updatedAt: iso(e.updated_at),
    /** Whether the viewer may change or remove it (their own, or any for admins). */
    mine: viewer.kind === 'agent' && (viewer.isAdmin || viewer.id === e.agent_id),
  }
}

function totalsOf(rows: readonly { minutes: number; billableMinutes: number; entries: number }[]) {
  const minutes = rows.reduce((n, r) => n + r.minutes, 0)
  const billableMinutes = rows.reduce((n, r) => n + r.billableMinutes, 0)
  const entries = rows.reduce((n, r) => n + r.entries, 0)
  return { entries, minutes, billableMinutes, nonBillableMinutes: minutes - billableMinutes }
}

/** A ticket's time entries, oldest first, with the totals; for agents who may see the ticket. */
export async function ticketTime(app: App, actor: Actor, number: string) {
  if (actor.kind !== 'agent') throw notFound('ticket')
  const row = await findVisibleTicket(app, actor, number)
  if (!row) throw notFound('ticket')
  const entries = await timeEntriesOfTicket(app.db.read, row.id)
  return {
    items: entries.map((e) => presentTimeEntry(e, actor)),
    totals: totalsOf(
      entries.map((e) => ({
        minutes: e.minutes,
        billableMinutes: e.billable === 1 ? e.minutes : 0,
        entries: 1,
      })),
    ),
  }
}

/** Minutes per group (billable and not) logged in the period, within the reader's ticket scope. */
export async function timeReport(app: App, actor: Actor, q: ReportQuery) {
  const range = reportRange(q, app.clock.now())
  const rows = await timeByGroup(app.db.read, ticketScope(actor), range, q.groupBy)
  return {
    from: iso(range.from),
    to: iso(range.to),
    groupBy: q.groupBy,
    rows: rows
      .map((r) => ({ ...r, nonBillableMinutes: r.minutes - r.billableMinutes }))
      .sort((a, b) => b.minutes - a.minutes || (a.key?.name ?? '').localeCompare(b.key?.name ?? '')),
    totals: totalsOf(rows),
  }
}
