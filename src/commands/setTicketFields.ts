import { z } from 'zod'
import type { App } from '../app.ts'
import { acceptValues, FieldProblem, type FieldValues } from '../domain/customFields.ts'
import { badRequest, forbidden, VersionConflict } from '../errors.ts'
import { lockVisibleTicket } from './ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import { agentPermissions } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { findTicketById, updateTicketRow, type TicketListRow } from '../repositories/ticketRepo.ts'
import { recordTicketChanges } from './ticketWrites.ts'

export const SetTicketFields = z.object({
  version: z.number().int().positive(),
  /** Field key → value; null clears a field. */
  fields: z.record(z.string().max(64), z.unknown()),
})
export type SetTicketFields = z.infer<typeof SetTicketFields>

/** Changes custom field values. Agents need ticket.edit; customers may set client-editable fields. */
export async function setTicketFields(
  app: App,
  actor: Actor,
  number: string,
  input: SetTicketFields,
  meta: { channel: Channel },
): Promise<TicketListRow> {
  const ticketId = await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    if (actor.kind === 'agent' && !agentPermissions(actor, facts).has('ticket.edit'))
      throw forbidden('You may not edit this ticket (needs ticket.edit).')
    if (input.version !== row.version) throw new VersionConflict((await findTicketById(trx, row.id))!)
    const before = JSON.parse(row.custom_fields) as FieldValues
    let after: FieldValues
    try {
      after = acceptValues(app.fields.all(), input.fields, actor.kind, before)
    } catch (error) {
      if (error instanceof FieldProblem) throw badRequest('invalid_fields', error.message)
      throw error
    }
    const at = app.clock.now()
    await updateTicketRow(trx, row.id, {
      custom_fields: JSON.stringify(after),
      version: row.version + 1,
      updated_at: at,
    })
    const changedKeys = Object.keys(input.fields)
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
        {
          type: 'ticket.fields_changed',
          before: Object.fromEntries(changedKeys.map((k) => [k, before[k] ?? null])),
          after: Object.fromEntries(changedKeys.map((k) => [k, after[k] ?? null])),
        },
      ],
      happenings: [],
    })
    return row.id
  })
  return (await findTicketById(app.db.read, ticketId))!
}
