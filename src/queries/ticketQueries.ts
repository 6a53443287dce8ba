import { z } from 'zod'
import type { App } from '../app.ts'
import { ACTIVE_CATEGORIES } from '../domain/tickets.ts'
import { badRequest, notFound } from '../errors.ts'
import { accessFacts } from '../commands/ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import { canSeeTicket, ticketAbilities, ticketScope } from '../policies/ticketPolicy.ts'
import { eventsOfTicket } from '../repositories/eventRepo.ts'
import { entrySourceRaw } from '../repositories/inboundMailRepo.ts'
import {
  findTicketByNumber,
  followersOf,
  listTicketsQuery,
  type TicketListRow,
} from '../repositories/ticketRepo.ts'
import { tagsOf } from '../repositories/tagRepo.ts'
import { threadOf } from '../repositories/threadRepo.ts'
import { text } from '../commands/fields.ts'

export async function getTicket(app: App, actor: Actor, number: string) {
  const db = app.db.read
  const row = await findTicketByNumber(db, number)
  if (!row) throw notFound('ticket')
  const facts = await accessFacts(db, row, actor)
  if (!canSeeTicket(actor, facts)) throw notFound('ticket')
  const isAgent = actor.kind === 'agent'
  const [thread, followers, events, tags] = await Promise.all([
    threadOf(db, row.id, isAgent),
    isAgent ? followersOf(db, row.id) : Promise.resolve([]),
    isAgent ? eventsOfTicket(db, row.id) : Promise.resolve([]),
    // Tags are the agents' own filing: customers are not shown them (as in Zendesk).
    isAgent ? tagsOf(db, row.id) : Promise.resolve([]),
  ])
  return {
    row,
    thread,
    followers,
    events,
    tags,
    following: facts.followedByActor,
    abilities: ticketAbilities(actor, facts),
  }
}

export const ListTickets = z.object({
  view: z.enum(['mine', 'open', 'unassigned', 'all']).default('all'),
  status: text(64).optional(),
  departmentId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  q: text(500, { min: 0 }).optional(),
  cursor: text(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type ListTickets = z.infer<typeof ListTickets>

const Cursor = z.tuple([z.number().int(), z.number().int()])

export function encodeCursor(row: { last_activity_at: number; id: number }): string {
  return Buffer.from(JSON.stringify([row.last_activity_at, row.id])).toString('base64url')
}

function decodeCursor(cursor: string): { lastActivityAt: number; id: number } {
  try {
    const [lastActivityAt, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    return { lastActivityAt, id }
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this server gave out; start again without it.')
  }
}

/** Which statuses a queue shows. Customers have one list, their own tickets, so the view does not apply. */
function queueFilter(app: App, actor: Actor, input: ListTickets) {
  const active = app.statuses.keysIn(ACTIVE_CATEGORIES)
  const statuses = input.status !== undefined ? [input.status] : undefined
  if (actor.kind === 'customer') return { statuses }
  switch (input.view) {
    case 'mine':
      return { statuses: statuses ?? active, assigneeAgentId: actor.id }
    case 'open':
      return { statuses: statuses ?? active }
    case 'unassigned':
      return { statuses: statuses ?? active, unassigned: true }
    case 'all':
      return { statuses }
  }
}

export function buildListQuery(app: App, actor: Actor, input: ListTickets) {
  return listTicketsQuery(app.db.dialect, app.db.read, {
    scope: ticketScope(actor),
    ...queueFilter(app, actor, input),
    ...(input.departmentId !== undefined ? { departmentId: input.departmentId } : {}),
    ...(input.q !== undefined ? { q: input.q } : {}),
    includeNotesInSearch: actor.kind === 'agent',
    ...(input.cursor !== undefined ? { after: decodeCursor(input.cursor) } : {}),
    limit: input.limit + 1,
  })
}

export async function listTickets(
  app: App,
  actor: Actor,
  input: ListTickets,
): Promise<{ rows: TicketListRow[]; nextCursor: string | null }> {
  const rows = await buildListQuery(app, actor, input).execute()
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  return { rows: page, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null }
}

/**
 * The raw email a thread entry was filed from, for an agent who may see the ticket and the entry (internal
 * notes included, as in the detail view). Anything else, a ticket they may not see included, is "not found".
 */
export async function entryOriginalEmail(app: App, actor: Actor, number: string, entryId: number) {
  const db = app.db.read
  const row = await findTicketByNumber(db, number)
  if (!row || actor.kind !== 'agent' || !canSeeTicket(actor, await accessFacts(db, row, actor)))
    throw notFound('ticket')
  const raw = await entrySourceRaw(db, row.id, entryId)
  if (!raw) throw notFound('original email')
  return raw
}
