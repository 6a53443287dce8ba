// Writes shared by the ticket commands: the audit event, the realtime outbox row and the notifications that
// every change records in its own transaction.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Origin } from '../domain/origin.ts'
import type { TicketRow } from '../repositories/ticketRepo.ts'
import { insertEvents, type Channel, type NewEvent } from '../repositories/eventRepo.ts'
import { insertNotifications } from '../repositories/notificationRepo.ts'
import { enqueue } from '../repositories/outboxRepo.ts'
import { followersOf } from '../repositories/ticketRepo.ts'
import { agentIdsInDepartment } from '../repositories/userRepo.ts'
import { teamMemberIds } from '../repositories/directoryRepo.ts'
import type { RealtimeMessage } from '../realtime/bus.ts'
import { ticketNotifications, type Happening } from './ticketNotifications.ts'
import { TICKET_MAIL_TOPIC, ticketMailFor } from '../mail/ticketMail.ts'
import { WEBHOOK_FANOUT_TOPIC, type WebhookFanout } from '../domain/webhooks.ts'

export interface Change {
  type: string
  before?: Record<string, unknown>
  after?: Record<string, unknown>
}

export interface RecordInput {
  ticket: {
    id: number
    number: string
    subject: string
    assigneeAgentId: number | null
    assigneeTeamId: number | null
    departmentId: number
    requesterId: number
  }
  actor: { id: number; name: string; origin?: Origin | undefined }
  channel: Channel
  at: number
  changes: Change[]
  happenings: Happening[]
  /** Whether this change may send the requester an auto-response and agents their alerts (default: yes). */
  mail?: { autorespond: boolean; alert: boolean }
}

/** The ticket as recordTicketChanges names it, from its row (as it is after the command's changes). */
export const ticketSummary = (row: TicketRow): RecordInput['ticket'] => ({
  id: row.id,
  number: row.number,
  subject: row.subject,
  assigneeAgentId: row.assignee_agent_id,
  assigneeTeamId: row.assignee_team_id,
  departmentId: row.department_id,
  requesterId: row.requester_id,
})

/** Records events, notifications and the realtime outbox row for one command, inside its transaction. */
export async function recordTicketChanges(trx: Kysely<DB>, input: RecordInput): Promise<void> {
  const { ticket, actor, at } = input
  const events: NewEvent[] = input.changes.map((c) => ({
    ticketId: ticket.id,
    actorId: actor.id,
    type: c.type,
    channel: input.channel,
    before: c.before ?? null,
    after: c.after ?? null,
    at,
  }))
  const eventIds = await insertEvents(trx, events, input.actor.origin)

  if (input.happenings.length > 0) {
    const needsWatchers = input.happenings.some((h) => h.kind !== 'assigned' && h.kind !== 'transferred')
    const transferred =
      input.happenings.some((h) => h.kind === 'transferred') && ticket.assigneeAgentId === null
    const [followers, teamMembers, departmentAgents] = await Promise.all([
      needsWatchers ? followersOf(trx, ticket.id) : Promise.resolve([]),
      needsWatchers && ticket.assigneeAgentId === null && ticket.assigneeTeamId !== null
        ? teamMemberIds(trx, ticket.assigneeTeamId)
        : Promise.resolve([]),
      transferred ? agentIdsInDepartment(trx, ticket.departmentId) : Promise.resolve([]),
    ])
    const rows = ticketNotifications(
      {
        actorId: actor.id,
        actorName: actor.name,
        ticketId: ticket.id,
        number: ticket.number,
        subject: ticket.subject,
        assigneeAgentId: ticket.assigneeAgentId,
        teamMemberIds: teamMembers,
        followerIds: followers.map((f) => f.id),
        newDepartmentAgentIds: departmentAgents,
        requesterId: ticket.requesterId,
      },
      input.happenings,
    )
    await insertNotifications(trx, rows, at)
  }

  const formerly = formerAccess(input)
  const message: RealtimeMessage = {
    type: input.changes[0]?.type ?? 'ticket.updated',
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    eventIds,
    actorId: actor.id,
    at,
    ...(formerly ? { formerly } : {}),
  }
  await enqueue(trx, 'realtime', message, at)
  if (eventIds.length > 0)
    await enqueue(trx, WEBHOOK_FANOUT_TOPIC, { ticketId: ticket.id, eventIds } satisfies WebhookFanout, at)

  const mail = ticketMailFor(input)
  if (mail) await enqueue(trx, TICKET_MAIL_TOPIC, mail, at)
}

/** The access fields of the ticket before this command's changes, when they changed (from the changes' `before`). */
function formerAccess(input: RecordInput): RealtimeMessage['formerly'] {
  const { ticket } = input
  const was = {
    departmentId: ticket.departmentId,
    assigneeAgentId: ticket.assigneeAgentId,
    assigneeTeamId: ticket.assigneeTeamId,
  }
  const seen = new Set<string>()
  for (const c of input.changes) {
    const field =
      c.type === 'ticket.transferred'
        ? 'departmentId'
        : c.type === 'ticket.assigned' || c.type === 'ticket.released'
          ? 'assigneeAgentId'
          : c.type === 'ticket.team_assigned'
            ? 'assigneeTeamId'
            : undefined
    // The first change of a field holds its value from before the command.
    if (field === undefined || seen.has(field) || !c.before || !(field in c.before)) continue
    seen.add(field)
    ;(was as Record<string, unknown>)[field] = c.before[field]
  }
  const moved =
    was.departmentId !== ticket.departmentId ||
    was.assigneeAgentId !== ticket.assigneeAgentId ||
    was.assigneeTeamId !== ticket.assigneeTeamId
  return moved ? was : undefined
}
