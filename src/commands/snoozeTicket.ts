import { z } from 'zod'
import type { App } from '../app.ts'
import { badRequest, forbidden, VersionConflict } from '../errors.ts'
import { lockVisibleTicket } from './ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import { agentPermissions } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { findTicketById, updateTicketRow, type TicketListRow } from '../repositories/ticketRepo.ts'
import { recordTicketChanges } from './ticketWrites.ts'

export const SnoozeTicket = z.object({
  version: z.number().int().positive(),
  /** ISO 8601 instant; null wakes the ticket's snooze off (it stays pending). */
  until: z.iso.datetime({ offset: true }).nullable(),
})
export type SnoozeTicket = z.infer<typeof SnoozeTicket>

/** Snoozes a pending ticket until a time; the snooze sweep returns it to open then. */
export async function snoozeTicket(
  app: App,
  actor: Actor,
  number: string,
  input: SnoozeTicket,
  meta: { channel: Channel },
): Promise<TicketListRow> {
  const ticketId = await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    if (actor.kind !== 'agent' || !agentPermissions(actor, facts).has('ticket.edit'))
      throw forbidden('You may not snooze this ticket (needs ticket.edit).')
    if (input.version !== row.version) throw new VersionConflict((await findTicketById(trx, row.id))!)
    const at = app.clock.now()
    const until = input.until === null ? null : Date.parse(input.until)
    if (until !== null) {
      if (app.statuses.categoryOf(row.status) !== 'pending')
        throw badRequest(
          'not_pending',
          'Only a ticket in a pending status can be snoozed; set it to Pending first.',
        )
      if (until <= at) throw badRequest('snooze_in_past', 'Snooze until a time in the future.')
    }
    await updateTicketRow(trx, row.id, { snoozed_until: until, version: row.version + 1, updated_at: at })
    await recordTicketChanges(trx, {
      ticket: {
        id: row.id,
        number: row.number,
        subject: row.subject,
        assigneeAgentId: row.assignee_agent_id,
        assigneeTeamId: row.assignee_team_id,
        departmentId: row.department_id,
        requesterId: row.requester_id,
      },
      actor,
      channel: meta.channel,
      at,
      changes: [
        until === null
          ? { type: 'ticket.unsnoozed', before: { snoozedUntil: row.snoozed_until } }
          : {
              type: 'ticket.snoozed',
              before: { snoozedUntil: row.snoozed_until },
              after: { snoozedUntil: until },
            },
      ],
      happenings: [],
    })
    return row.id
  })
  return (await findTicketById(app.db.read, ticketId))!
}
