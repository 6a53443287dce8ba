// Keeps ticket_facts and ticket_agent_facts (migration 0027) up to date with the event log. It reads the events
// after its watermark (report_progress), works out again the facts of every ticket they touch from all of that
// ticket's events (so a rerun, a crash or two workers repeat work but never count anything twice) and stores
// the facts and the new watermark in one transaction.
//
// On PostgreSQL an event id is taken when the row is inserted, and a transaction that took id 10 may commit
// after one that took id 11: a watermark moved past 11 would never see 10. So the job stops before a gap in
// the ids, and passes one only after it has stayed open for GAP_SETTLE_MS (a rolled-back transaction leaves a
// gap for ever). SQLite has one writer, so its ids commit in order.
import type { App } from '../app.ts'
import { calendarOf, parseClock } from '../domain/slaClock.ts'
import { FACT_EVENT_TYPES, ticketFacts } from '../domain/reportFacts.ts'
import {
  eventsAfter,
  factSources,
  readProgress,
  replaceFacts,
  saveProgress,
} from '../repositories/reportRepo.ts'

export const REPORT_FACTS = 'report_facts'
const BATCH = 5000
const GAP_SETTLE_MS = 30_000

/** When each open gap in the event ids was first seen (wall clock), by the id just after it. */
const gapsSeen = new Map<number, number>()

export interface ReportFactsRun {
  events: number
  tickets: number
  /** The watermark after the run: every event up to this id is in the facts. */
  upTo: number
}

/**
 * Reads the event log up to its end (or `maxBatches` batches). `settleMs` is how long a gap in the ids must
 * stay open before it is passed (tests, which write nothing concurrently, pass 0).
 */
export async function runReportFacts(
  app: App,
  options: { maxBatches?: number; settleMs?: number; batch?: number } = {},
): Promise<ReportFactsRun> {
  const settleMs = options.settleMs ?? GAP_SETTLE_MS
  const batch = options.batch ?? BATCH
  const run: ReportFactsRun = { events: 0, tickets: 0, upTo: 0 }
  for (let i = 0; i < (options.maxBatches ?? 1000); i++) {
    const step = await app.db.transact(async (trx) => {
      const from = await readProgress(trx, REPORT_FACTS)
      const events = await eventsAfter(trx, from, batch)
      // Only the events before the first gap that is still settling.
      let last = from
      let taken = 0
      for (const e of events) {
        if (e.id !== last + 1 && app.db.dialect === 'postgres') {
          const seen = gapsSeen.get(e.id) ?? Date.now()
          gapsSeen.set(e.id, seen)
          if (Date.now() - seen < settleMs) break
          gapsSeen.delete(e.id)
        }
        last = e.id
        taken++
      }
      if (taken === 0) return { events: 0, tickets: 0, upTo: from }
      const ticketIds = [
        ...new Set(
          events
            .slice(0, taken)
            .map((e) => e.ticketId)
            .filter((id): id is number => id !== null),
        ),
      ]
      const sources = await factSources(trx, ticketIds, FACT_EVENT_TYPES)
      const routing = await app.routing.current(trx)
      const facts = sources.tickets.map((t) => {
        const schedule = t.slaPlanId !== null ? (routing.plan(t.slaPlanId)?.schedule ?? null) : null
        return {
          ticketId: t.id,
          copy: t.copy,
          ...ticketFacts({
            createdAt: t.createdAt,
            events: sources.events.get(t.id) ?? [],
            categoryOf: (status) => app.statuses.categoryOf(status),
            calendar: calendarOf('business', schedule),
            slaClock: parseClock(t.slaClock),
            isAgent: (id) => sources.agentIds.has(id),
          }),
        }
      })
      await replaceFacts(trx, ticketIds, facts)
      await saveProgress(trx, REPORT_FACTS, last, app.clock.now())
      return { events: taken, tickets: facts.length, upTo: last }
    })
    run.events += step.events
    run.tickets += step.tickets
    run.upTo = step.upTo
    if (step.events < batch) break
  }
  return run
}
