import type { App } from '../app.ts'
import { notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { findAttachment } from '../repositories/attachmentRepo.ts'
import { getTicket } from './ticketQueries.ts'

/**
 * An attachment and its bytes, for someone who may see the entry it is on: a customer asking for the file of
 * an internal note gets the same 404 as for a file that does not exist.
 */
export async function ticketAttachment(app: App, actor: Actor, number: string, id: number) {
  const t = await getTicket(app, actor, number)
  // The entry's place in the visible thread decides: a merge moves entries (with their files) to the target.
  const file = await findAttachment(app.db.read, id)
  if (!file || file.sha256 === null || !t.thread.some((e) => e.id === file.entry_id))
    throw notFound('attachment')
  const content = await app.attachments.read(app.db.read, file.sha256)
  return { file, content }
}
