import { z } from 'zod'
import type { App } from '../app.ts'
import { ACTIVE_CATEGORIES } from '../domain/tickets.ts'
import { badRequest, notFound } from '../errors.ts'
import { accessFacts } from '../commands/ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import { canSeeTicket, ticketAbilities, ticketScope, visibleEventTypes } from '../policies/ticketPolicy.ts'
import { eventsOfTicket, namesForEvents } from '../repositories/eventRepo.ts'
import { entrySourceRaw } from '../repositories/inboundMailRepo.ts'
import {
  findTicketByNumber,
  followersOf,
  listTicketsQuery,
  SORT_KEYS,
  withTags,
  type TicketConditions,
  type TicketListRow,
  type TicketRow,
} from '../repositories/ticketRepo.ts'
import { tagsOf } from '../repositories/tagRepo.ts'
import { organizationOf } from '../repositories/userRepo.ts'
import {
  BUILT_IN_VIEWS,
  QUEUE_SORTS,
  QueueFilters,
  SORT_ORDERS,
  type BuiltInView,
  type QueueOrder,
} from '../domain/queueFilters.ts'
import { findVisibleView } from './viewQueries.ts'
import { threadOf } from '../repositories/threadRepo.ts'
import { attachmentsOfEntries } from '../repositories/attachmentRepo.ts'
import { text } from '../commands/fields.ts'

export async function getTicket(app: App, actor: Actor, number: string) {
  const db = app.db.read
  const row = await findTicketByNumber(db, number)
  if (!row) throw notFound('ticket')
  const facts = await accessFacts(db, row, actor)
  if (!canSeeTicket(actor, facts)) throw notFound('ticket')
  const isAgent = actor.kind === 'agent'
  const [thread, followers, events, tags, requesterOrganization] = await Promise.all([
    threadOf(
      db,
      { id: row.id, merged: row.merged_into_id !== null },
      { includeNotes: isAgent, customerId: isAgent ? null : actor.id },
    ),
    isAgent ? followersOf(db, row.id) : Promise.resolve([]),
    eventsOfTicket(db, row.id, visibleEventTypes(actor)),
    // Tags are the agents' own filing: customers are not shown them (as in Zendesk).
    isAgent ? tagsOf(db, row.id) : Promise.resolve([]),
    // The requester panel beside the thread (agents only).
    isAgent ? organizationOf(db, row.requester_id) : Promise.resolve(undefined),
  ])
  // The files of the entries this reader sees: a customer's thread has no notes, so no note's files either.
  const attachments = await attachmentsOfEntries(
    db,
    thread.map((e) => e.id),
  )
  return {
    row,
    thread,
    attachments,
    followers,
    events,
    eventNames: await namesForEvents(db, events),
    requesterOrganization: requesterOrganization ?? null,
    tags,
    following: facts.followedByActor,
    abilities: ticketAbilities(actor, facts),
  }
}

export const ListTickets = QueueFilters.extend({
  view: z.enum(BUILT_IN_VIEWS).default('all'),
  viewId: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .optional()
    .describe("A saved view: its filters and sort apply; the query's own filters and sort override them"),
  sort: z.enum(QUEUE_SORTS).optional().describe('activity (default), created, updated, priority or due'),
  order: z.enum(SORT_ORDERS).optional().describe('desc (default) or asc'),
  q: text(500, { min: 0 }).optional(),
  cursor: text(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type ListTickets = z.infer<typeof ListTickets>

const FILTER_KEYS = Object.keys(QueueFilters.shape) as (keyof QueueFilters)[]

/** The filters given in a query (or a view), without the other parameters. */
export function filtersOf(input: Partial<QueueFilters>): QueueFilters {
  const out: Record<string, unknown> = {}
  for (const k of FILTER_KEYS) if (input[k] !== undefined) out[k] = input[k]
  return out as QueueFilters
}

/**
 * The conditions of a queue: the built-in view's (its active statuses apply unless the filters name statuses),
 * then the filters, each narrowing. Customers have one list, their own tickets, so views do not apply.
 */
export function queueConditions(
  app: Pick<App, 'statuses'>,
  actor: Actor,
  view: BuiltInView,
  filters: QueueFilters,
): TicketConditions[] {
  const active = app.statuses.keysIn(ACTIVE_CATEGORIES)
  const namesStatuses = filters.status !== undefined || filters.statusCategory !== undefined
  const out: TicketConditions[] = []
  if (actor.kind === 'agent') {
    const statuses = namesStatuses ? {} : { statuses: active }
    switch (view) {
      case 'mine':
        out.push({ ...statuses, assigneeAgentIds: [actor.id] })
        break
      case 'open':
        out.push(statuses)
        break
      case 'unassigned':
        out.push({ ...statuses, unassignedAgent: true, unassignedTeam: true })
        break
      case 'following':
        out.push({ ...statuses, followedBy: actor.id })
        break
      case 'all':
        break
    }
  }
  const c: TicketConditions = {}
  if (filters.status) c.statuses = filters.status
  if (filters.statusCategory) {
    const inCategories = app.statuses.keysIn(filters.statusCategory)
    c.statuses = c.statuses ? c.statuses.filter((s) => inCategories.includes(s)) : inCategories
  }
  if (filters.priority) c.priorities = filters.priority
  if (filters.departmentId) c.departmentIds = filters.departmentId
  if (filters.assignee) {
    c.assigneeAgentIds = filters.assignee.flatMap((a) => (a === 'me' ? [actor.id] : a === 'none' ? [] : [a]))
    if (filters.assignee.includes('none')) c.unassignedAgent = true
  }
  if (filters.teamId) c.teamIds = filters.teamId
  if (filters.requester) {
    c.requesterIds = filters.requester.filter((r): r is number => typeof r === 'number')
    c.requesterEmails = filters.requester
      .filter((r): r is string => typeof r === 'string')
      .map((e) => e.toLowerCase())
  }
  if (filters.organizationId) c.organizationIds = filters.organizationId
  if (filters.tag) c.tags = filters.tag.map((t) => t.toLowerCase())
  if (filters.sla) c.slaStates = filters.sla
  if (filters.createdFrom !== undefined) c.createdFrom = filters.createdFrom
  if (filters.createdTo !== undefined) c.createdTo = filters.createdTo
  if (filters.updatedFrom !== undefined) c.updatedFrom = filters.updatedFrom
  if (filters.updatedTo !== undefined) c.updatedTo = filters.updatedTo
  if (filters.following === true && actor.kind === 'agent') c.followedBy = actor.id
  if (Object.keys(c).length > 0) out.push(c)
  return out
}

const Cursor = z.tuple([z.enum(QUEUE_SORTS), z.enum(SORT_ORDERS)]).rest(z.number().int())

/** A cursor names its sort, so that one given out for another sort is refused rather than misread. */
export function encodeCursor(order: QueueOrder, row: TicketRow): string {
  const values = [...SORT_KEYS[order.sort].map((k) => row[k] as number), row.id]
  return Buffer.from(JSON.stringify([order.sort, order.order, ...values])).toString('base64url')
}

function decodeCursor(cursor: string, order: QueueOrder): number[] {
  const invalid = () =>
    badRequest(
      'invalid_cursor',
      'The cursor is not one this server gave out for this sort; start again without it.',
    )
  let parsed: [string, string, ...number[]]
  try {
    parsed = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    throw invalid()
  }
  const [sort, direction, ...values] = parsed
  if (sort !== order.sort || direction !== order.order || values.length !== SORT_KEYS[order.sort].length + 1)
    throw invalid()
  return values
}

/** What a list request asks for once its saved view (if any) is applied: explicit parameters win. */
export interface ResolvedList {
  view: BuiltInView
  filters: QueueFilters
  order: QueueOrder
}

export async function resolveList(app: App, actor: Actor, input: ListTickets): Promise<ResolvedList> {
  const explicit = filtersOf(input)
  if (input.viewId === undefined) {
    return {
      view: input.view,
      filters: explicit,
      order: { sort: input.sort ?? 'activity', order: input.order ?? 'desc' },
    }
  }
  if (actor.kind !== 'agent') throw notFound('view')
  const saved = await findVisibleView(app, actor, input.viewId)
  return {
    view: input.view,
    filters: { ...saved.filters, ...explicit },
    order: {
      sort: input.sort ?? saved.sort.sort,
      order: input.order ?? (input.sort !== undefined ? 'desc' : saved.sort.order),
    },
  }
}

/** The custom fields whose values a search may match: the ones the searcher may see. */
function searchableFields(app: App, actor: Actor): string[] {
  return app.fields
    .all()
    .filter((d) => (actor.kind === 'customer' ? d.clientVisible : d.agentVisible))
    .map((d) => d.key)
}

export function buildListQuery(
  app: App,
  actor: Actor,
  input: Pick<ListTickets, 'q' | 'cursor' | 'limit'>,
  resolved: ResolvedList,
  exceptId?: number,
) {
  const q = input.q?.trim()
  return listTicketsQuery(app.db.dialect, app.db.heavyRead, {
    scope: ticketScope(actor),
    conditions: queueConditions(app, actor, resolved.view, resolved.filters),
    ...(q
      ? { search: { q, includeNotes: actor.kind === 'agent', fieldKeys: searchableFields(app, actor) } }
      : {}),
    sort: resolved.order.sort,
    order: resolved.order.order,
    ...(input.cursor !== undefined ? { after: decodeCursor(input.cursor, resolved.order) } : {}),
    ...(exceptId !== undefined ? { exceptId } : {}),
    limit: input.limit + 1,
  })
}

/**
 * A page of a queue. A search that is a ticket number (`100501`, `#100501`) puts that ticket first when the
 * searcher may see it, and leaves it out of every page after, so it is never listed twice.
 */
export async function listTickets(
  app: App,
  actor: Actor,
  input: ListTickets,
): Promise<{ rows: TicketListRow[]; nextCursor: string | null }> {
  const resolved = await resolveList(app, actor, input)
  const number = input.q !== undefined ? /^\s*#?(\d{1,12})\s*$/.exec(input.q)?.[1] : undefined
  const numbered = number !== undefined ? await findVisibleTicket(app, actor, number) : undefined
  // On the first page the numbered ticket takes one place of the page (a page of one has no room for it).
  const first = numbered && input.cursor === undefined && input.limit > 1 ? numbered : undefined
  const limit = first ? input.limit - 1 : input.limit
  const rows = await buildListQuery(
    app,
    actor,
    { ...input, limit },
    resolved,
    input.limit > 1 ? numbered?.id : undefined,
  ).execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const nextCursor = rows.length > limit && last ? encodeCursor(resolved.order, last) : null
  return { rows: await withTags(app.db.read, first ? [first, ...page] : page), nextCursor }
}

/** The ticket when the actor may see it (the detail view's rule); undefined when missing or not theirs. */
export async function findVisibleTicket(
  app: App,
  actor: Actor,
  number: string,
): Promise<TicketListRow | undefined> {
  const row = await findTicketByNumber(app.db.read, number)
  if (!row) return undefined
  const facts = await accessFacts(app.db.read, row, actor)
  return canSeeTicket(actor, facts) ? row : undefined
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
