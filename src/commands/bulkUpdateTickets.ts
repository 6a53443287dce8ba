// Bulk work: one change (and optionally a macro) applied to up to 500 tickets. Each ticket is changed in its own
// transaction by the same command as a single PATCH (updateTicketIn, or applyMacroIn for a macro), so every rule,
// permission, event, notification and SLA recomputation holds, and one refusal never rolls back the others.
//
// Versions: `versions` maps a number to the version the agent saw. A listed ticket that changed since answers
// `conflict` with its current state; a ticket not listed takes the change on whatever it is now (the row is
// locked for the change, so nothing is lost either way).
//
// A ticket the agent may not see answers `not_found` with the very error a missing ticket gets, so a bulk call
// never tells which numbers exist.
import { z } from 'zod'
import type { App } from '../app.ts'
import { TagList } from '../domain/tags.ts'
import { BODY_MAX, PRIORITIES } from '../domain/tickets.ts'
import { AppError, badRequest, VersionConflict } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { findTicketsByIds, type TicketListRow } from '../repositories/ticketRepo.ts'
import { id, nonBlank, text } from './fields.ts'
import { applyMacroIn, checkReferences, usableMacro, withChanges, type UsableMacro } from './macros.ts'
import { updateTicketIn, type TicketChange } from './updateTicket.ts'

export const BULK_MAX = 500
// Defined once in src/shared/tickets.ts (the bulk bar imports them too).
import { BULK_OUTCOMES, type BulkOutcome } from '../shared/tickets.ts'
export { BULK_OUTCOMES, type BulkOutcome }

const ticketNumber = text(32)

export const BulkUpdate = z.object({
  numbers: z.array(ticketNumber).min(1).max(BULK_MAX).describe('Ticket numbers; repeats are done once'),
  changes: z
    .object({
      status: text(64).optional(),
      priority: z.enum(PRIORITIES).optional(),
      departmentId: id.optional(),
      assigneeAgentId: id.nullable().optional(),
      assigneeTeamId: id.nullable().optional(),
      addTags: TagList.optional(),
      removeTags: TagList.optional(),
    })
    .strict()
    .default({}),
  note: nonBlank(BODY_MAX).optional().describe('An internal note added to every ticket changed'),
  macroId: id
    .optional()
    .describe('Apply this macro to every ticket as well (the `changes` win over its fields)'),
  versions: z
    .record(ticketNumber, z.number().int().positive())
    .optional()
    .refine((v) => v === undefined || Object.keys(v).length <= BULK_MAX, {
      message: `at most ${BULK_MAX} versions`,
    })
    .describe('number → the version you saw; a ticket changed since answers `conflict`'),
})
export type BulkUpdate = z.infer<typeof BulkUpdate>

export interface BulkResult {
  number: string
  outcome: BulkOutcome
  /** The ticket after the change (updated, unchanged) or as it is now (conflict). */
  ticket?: TicketListRow
  error?: { code: string; message: string }
}

/**
 * How many tickets are in flight at once. SQLite has one writer and commits whatever is queued together (each
 * ticket in its own savepoint), so a larger batch means fewer fsyncs; PostgreSQL runs them on pool connections.
 */
const IN_FLIGHT = { sqlite: 50, postgres: 4 } as const

export async function bulkUpdateTickets(
  app: App,
  actor: Actor,
  input: BulkUpdate,
  meta: { channel: Channel },
): Promise<BulkResult[]> {
  if (actor.kind !== 'agent')
    throw new AppError('forbidden', 'agents_only', 'Only agents can change tickets.')
  const agent: AgentActor = actor
  const numbers = [...new Set(input.numbers)]
  const changes: TicketChange = Object.fromEntries(
    Object.entries(input.changes).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  )
  if (Object.keys(changes).length === 0 && input.note === undefined && input.macroId === undefined)
    throw badRequest('nothing_to_change', 'Say what to change: `changes`, a `note` or a `macroId`.')
  if (changes.addTags?.some((t) => changes.removeTags?.includes(t)))
    throw badRequest('tags_added_and_removed', 'A tag cannot be both added and removed.')

  // What the change names is checked once here, not once per ticket.
  await checkReferences(app, app.db.read, changes)
  const macro: UsableMacro | undefined =
    input.macroId === undefined ? undefined : await usableMacro(app, agent, input.macroId)
  if (macro) withChanges(macro.plan.change, changes)

  const runOne = async (number: string): Promise<BulkResult & { ticketId?: number }> => {
    const own: TicketChange = { ...changes, version: input.versions?.[number], note: input.note }
    try {
      const done = await app.db.transact((trx) =>
        macro
          ? applyMacroIn(app, trx, agent, number, macro, own, meta)
          : updateTicketIn(app, trx, agent, number, own, meta),
      )
      return { number, outcome: done.changed ? 'updated' : 'unchanged', ticketId: done.ticketId }
    } catch (error) {
      return { number, ...outcomeOf(error) }
    }
  }

  const results = await inBatches(numbers, IN_FLIGHT[app.db.dialect], runOne)
  const ids = results.flatMap((r) => (r.ticketId === undefined ? [] : [r.ticketId]))
  const rows = new Map((await findTicketsByIds(app.db.read, ids)).map((row) => [row.id, row]))
  return results.map(({ ticketId, ...r }) => {
    const ticket = ticketId === undefined ? undefined : rows.get(ticketId)
    return ticket ? { ...r, ticket } : r
  })
}

/** The outcome of a refused ticket. Anything but the command's own refusals is a real failure: rethrown. */
function outcomeOf(error: unknown): Omit<BulkResult, 'number'> {
  if (error instanceof VersionConflict) {
    return {
      outcome: 'conflict',
      ticket: error.current as TicketListRow,
      error: { code: error.code, message: error.message },
    }
  }
  if (!(error instanceof AppError)) throw error
  const refused = { error: { code: error.code, message: error.message } }
  switch (error.kind) {
    case 'not_found':
      return { outcome: 'not_found', ...refused }
    case 'forbidden':
      return { outcome: 'forbidden', ...refused }
    case 'bad_request':
    case 'unprocessable':
    case 'too_large':
    case 'unsupported_media_type':
      return { outcome: 'invalid', ...refused }
    case 'conflict':
      return { outcome: 'conflict', ...refused }
    case 'unauthenticated':
    case 'too_many_requests':
    case 'unavailable':
      throw error
  }
}

/** Runs `fn` over `items` with at most `size` at a time, keeping the order of `items` in the results. */
async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker))
  return results
}
