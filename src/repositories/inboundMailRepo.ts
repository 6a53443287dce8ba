// The stored raw messages of inbound mail, as two ways of reading them: the failed-mail list's (only mail that
// failed) and a ticket's (only an entry of that ticket). Who may ask is decided by the callers' policies.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** The raw source of a message in the failed-mail list; undefined for any other message, filed ones included. */
export async function failedMailRaw(db: Kysely<DB>, id: number): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('inbound_mail')
    .select('raw')
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return row ? Buffer.from(row.raw) : undefined
}

/** The raw message a thread entry of the ticket was filed from; undefined when it came some other way. */
export async function entrySourceRaw(
  db: Kysely<DB>,
  ticketId: number,
  entryId: number,
): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('entry_email as ee')
    .innerJoin('thread_entries as e', 'e.id', 'ee.entry_id')
    .innerJoin('inbound_mail as m', 'm.id', 'ee.inbound_mail_id')
    .select('m.raw')
    .where('ee.entry_id', '=', entryId)
    .where('e.ticket_id', '=', ticketId)
    .executeTakeFirst()
  return row ? Buffer.from(row.raw) : undefined
}

/** Moves a message between the failed-mail list and the discarded pile (kept raw: nothing is dropped). */
export async function moveInboundStatus(
  db: Kysely<DB>,
  id: number,
  from: 'failed' | 'discarded',
  to: 'failed' | 'discarded',
): Promise<boolean> {
  const r = await db
    .updateTable('inbound_mail')
    .set({ status: to })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Who sent a stored message and why it failed, for an event. */
export const inboundSummary = (db: Kysely<DB>, id: number) =>
  db.selectFrom('inbound_mail').select(['sender', 'error']).where('id', '=', id).executeTakeFirst()
