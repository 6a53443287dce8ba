import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** The fields that decide who may see a ticket, with followers and collaborators, for many tickets at once. */
export interface TicketAccessRow {
  id: number
  number: string
  departmentId: number
  assigneeAgentId: number | null
  assigneeTeamId: number | null
  requesterId: number
  followerIds: ReadonlySet<number>
  collaboratorIds: ReadonlySet<number>
}

export async function accessFactsOf(
  db: Kysely<DB>,
  ticketIds: number[],
): Promise<Map<number, TicketAccessRow>> {
  const result = new Map<number, TicketAccessRow>()
  if (ticketIds.length === 0) return result
  const [tickets, followers, collaborators] = await Promise.all([
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
    db
      .selectFrom('ticket_collaborators')
      .select(['ticket_id', 'user_id'])
      .where('ticket_id', 'in', ticketIds)
      .execute(),
  ])
  const group = (rows: { ticket_id: number; id: number }[]) => {
    const byTicket = new Map<number, Set<number>>()
    for (const r of rows) {
      let set = byTicket.get(r.ticket_id)
      if (!set) byTicket.set(r.ticket_id, (set = new Set()))
      set.add(r.id)
    }
    return byTicket
  }
  const followersBy = group(followers.map((f) => ({ ticket_id: f.ticket_id, id: f.agent_id })))
  const collaboratorsBy = group(collaborators.map((c) => ({ ticket_id: c.ticket_id, id: c.user_id })))
  for (const t of tickets) {
    result.set(t.id, {
      id: t.id,
      number: t.number,
      departmentId: t.department_id,
      assigneeAgentId: t.assignee_agent_id,
      assigneeTeamId: t.assignee_team_id,
      requesterId: t.requester_id,
      followerIds: followersBy.get(t.id) ?? new Set(),
      collaboratorIds: collaboratorsBy.get(t.id) ?? new Set(),
    })
  }
  return result
}

export async function ticketIdByNumber(db: Kysely<DB>, number: string): Promise<number | undefined> {
  const row = await db.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst()
  return row?.id
}
