import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** The fields that decide who may see a ticket, with its followers, for many tickets in two queries. */
export interface TicketAccessRow {
  id: number
  number: string
  departmentId: number
  assigneeAgentId: number | null
  assigneeTeamId: number | null
  requesterId: number
  followerIds: ReadonlySet<number>
}

export async function accessFactsOf(
  db: Kysely<DB>,
  ticketIds: number[],
): Promise<Map<number, TicketAccessRow>> {
  const result = new Map<number, TicketAccessRow>()
  if (ticketIds.length === 0) return result
  const [tickets, followers] = await Promise.all([
    db
      .selectFrom('tickets')
      .select(['id', 'number', 'department_id', 'assignee_agent_id', 'assignee_team_id', 'requester_id'])
      .where('id', 'in', ticketIds)
      .execute(),
    db
      .selectFrom('ticket_followers')
      .select(['ticket_id', 'agent_id'])
      .where('ticket_id', 'in', ticketIds)
      .execute(),
  ])
  const byTicket = new Map<number, Set<number>>()
  for (const f of followers) {
    let set = byTicket.get(f.ticket_id)
    if (!set) byTicket.set(f.ticket_id, (set = new Set()))
    set.add(f.agent_id)
  }
  for (const t of tickets) {
    result.set(t.id, {
      id: t.id,
      number: t.number,
      departmentId: t.department_id,
      assigneeAgentId: t.assignee_agent_id,
      assigneeTeamId: t.assignee_team_id,
      requesterId: t.requester_id,
      followerIds: byTicket.get(t.id) ?? new Set(),
    })
  }
  return result
}

export async function ticketIdByNumber(db: Kysely<DB>, number: string): Promise<number | undefined> {
  const row = await db.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst()
  return row?.id
}
