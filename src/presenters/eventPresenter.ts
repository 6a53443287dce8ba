// A ticket's events as the thread shows them between the messages. Events store ids (a department, an agent,
// a team); `display` gives the names before and after, so the web app writes "John Doe transferred the
// ticket from Support to Billing" without another request. Customers get only their kinds of event
// (ticketPolicy.CUSTOMER_EVENT_TYPES), each reduced to the status it is about.
import { z } from 'zod'
import { PRIORITY_LABELS, type Priority } from '../domain/tickets.ts'
import type { StatusCatalog } from '../statusCatalog.ts'

export const TicketEventOut = z.object({
  id: z.number(),
  type: z.string(),
  channel: z.string(),
  actor: z.object({ id: z.number(), name: z.string() }).nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  display: z
    .object({ before: z.string().nullable(), after: z.string().nullable() })
    .describe(
      'The changed value in words, before and after (a status, priority, department, agent or team name; ' +
        'a tag; the people copied), for the history line. Null where there is none.',
    ),
  createdAt: z.string(),
})
export type TicketEventOut = z.infer<typeof TicketEventOut>

export interface EventRow {
  id: number
  type: string
  channel: string
  before: string | null
  after: string | null
  created_at: number
  actor_id: number | null
  actor_name: string | null
}

export type { EventNames } from '../repositories/eventRepo.ts'
import type { EventNames } from '../repositories/eventRepo.ts'

type Values = Record<string, unknown> | null
const parse = (json: string | null): Values => (json === null ? null : (JSON.parse(json) as Values))
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)
const idsOf = (v: unknown): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []

function describe(
  type: string,
  v: Values,
  names: EventNames,
  statuses: StatusCatalog,
  side: 'before' | 'after',
): string | null {
  if (!v) return null
  switch (type) {
    case 'ticket.status_changed':
    case 'ticket.reopened':
      return typeof v.status === 'string' ? (statuses.get(v.status)?.name ?? v.status) : null
    case 'ticket.priority_changed':
      return typeof v.priority === 'string' ? (PRIORITY_LABELS[v.priority as Priority] ?? v.priority) : null
    case 'ticket.transferred': {
      const id = num(v.departmentId)
      return id === null ? null : (names.departments.get(id) ?? `department ${id}`)
    }
    case 'ticket.assigned':
    case 'ticket.released': {
      const id = num(v.assigneeAgentId)
      return id === null ? null : (names.users.get(id) ?? `agent ${id}`)
    }
    case 'ticket.team_assigned': {
      const id = num(v.assigneeTeamId)
      return id === null ? null : (names.teams.get(id) ?? `team ${id}`)
    }
    case 'ticket.tagged':
    case 'ticket.untagged':
      return typeof v.tag === 'string' ? v.tag : null
    case 'collaborators.added':
    case 'collaborators.removed': {
      const people = idsOf(v.userIds).map((id) => names.users.get(id) ?? `user ${id}`)
      return people.length > 0 ? people.join(', ') : null
    }
    case 'ticket.snoozed':
    case 'ticket.unsnoozed':
      return typeof v.snoozedUntil === 'number' ? new Date(v.snoozedUntil).toISOString() : null
    default:
      // SLA firings name their target ("first_response"); the web app words it.
      return side === 'after' && typeof v.target === 'string' ? v.target : null
  }
}

export function presentTicketEvents(
  rows: readonly EventRow[],
  names: EventNames,
  statuses: StatusCatalog,
  viewer: 'agent' | 'customer',
): TicketEventOut[] {
  return rows.map((row) => {
    let before = parse(row.before)
    let after = parse(row.after)
    if (viewer === 'customer') {
      // Only the status: never a rule id, an agent's reason or anything else the event recorded.
      before = before && typeof before.status === 'string' ? { status: before.status } : null
      after = after && typeof after.status === 'string' ? { status: after.status } : null
    }
    return {
      id: row.id,
      type: row.type,
      channel: row.channel,
      actor: row.actor_id === null ? null : { id: row.actor_id, name: row.actor_name ?? '' },
      before,
      after,
      display: {
        before: describe(row.type, before, names, statuses, 'before'),
        after: describe(row.type, after, names, statuses, 'after'),
      },
      createdAt: new Date(row.created_at).toISOString(),
    }
  })
}
