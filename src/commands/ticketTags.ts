// PUT /tickets/:number/tags: the whole set of tags at once, through the update command (ticket.edit, one
// ticket.tagged or ticket.untagged event per tag, the version bumped like any other change of the ticket).
import { z } from 'zod'
import type { App } from '../app.ts'
import { TagList } from '../domain/tags.ts'
import type { Actor } from '../policies/actor.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { tagsOf } from '../repositories/tagRepo.ts'
import { findTicketById, type TicketListRow } from '../repositories/ticketRepo.ts'
import { updateTicketIn } from './updateTicket.ts'

export const SetTicketTags = z.object({
  tags: TagList.describe('The full set: trimmed, lower-cased, inner spaces become "-"; repeats are dropped'),
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('The version you loaded: a stale one answers 409 with the current ticket'),
})
export type SetTicketTags = z.infer<typeof SetTicketTags>

export async function setTicketTags(
  app: App,
  actor: Actor,
  number: string,
  input: SetTicketTags,
  meta: { channel: Channel },
): Promise<{ ticket: TicketListRow; tags: string[] }> {
  const { ticketId } = await app.db.transact((trx) =>
    updateTicketIn(app, trx, actor, number, { tags: input.tags, version: input.version }, meta),
  )
  const [ticket, tags] = await Promise.all([
    findTicketById(app.db.read, ticketId),
    tagsOf(app.db.read, ticketId),
  ])
  return { ticket: ticket!, tags }
}
