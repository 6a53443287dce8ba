// Loading a ticket for a command or query together with the facts its access rule needs, in one place, so
// every entry point asks the policy the same question (followers for agents, collaborators for customers).
import type { Kysely } from 'kysely'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { forbidden, notFound } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { agentPermissions, canSeeTicket, type TicketAccessFacts } from '../policies/ticketPolicy.ts'
import { isCollaborator, isFollower, lockTicketByNumber, type TicketRow } from '../repositories/ticketRepo.ts'

type AccessColumns = Pick<
  TicketRow,
  'id' | 'department_id' | 'assignee_agent_id' | 'assignee_team_id' | 'requester_id'
>

export async function accessFacts(
  db: Kysely<DB>,
  row: AccessColumns,
  actor: Actor,
): Promise<TicketAccessFacts> {
  return {
    departmentId: row.department_id,
    assigneeAgentId: row.assignee_agent_id,
    assigneeTeamId: row.assignee_team_id,
    requesterId: row.requester_id,
    followedByActor: actor.kind === 'agent' && (await isFollower(db, row.id, actor.id)),
    collaboratingActor:
      actor.kind === 'customer' &&
      row.requester_id !== actor.id &&
      (await isCollaborator(db, row.id, actor.id)),
  }
}

/**
 * Locks the ticket for a change (PostgreSQL: FOR UPDATE) and checks the actor may see it, inside the caller's
 * transaction, so a concurrent transfer is re-checked. A ticket the actor may not see is "not found".
 */
export async function lockVisibleTicket(
  app: App,
  trx: Kysely<DB>,
  actor: Actor,
  number: string,
): Promise<{ row: TicketRow; facts: TicketAccessFacts }> {
  const row = await lockTicketByNumber(app.db.dialect, trx, number)
  if (!row) throw notFound('ticket')
  const facts = await accessFacts(trx, row, actor)
  if (!canSeeTicket(actor, facts)) throw notFound('ticket')
  return { row, facts }
}

/** The agent who may edit this ticket (ticket.edit in its department); anyone else is refused. */
export function requireTicketEdit(actor: Actor, facts: TicketAccessFacts, what: string): AgentActor {
  if (actor.kind !== 'agent' || !agentPermissions(actor, facts).has('ticket.edit'))
    throw forbidden(`${what} needs ticket.edit.`)
  return actor
}
