// The stored raw messages of inbound mail, as two ways of reading them: the failed-mail list's (only mail that
// failed) and a ticket's (only an entry of that ticket). Who may ask is decided by the callers' policies.
// Also the queries every arriving message runs (issue 15): each is compiled once (`reusable`), since building
// a Kysely query costs about as much as running it, and intake runs a dozen of them per message.
import type { Kysely } from 'kysely'
import { reusable } from '../db/reusable.ts'
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

const inboundById = reusable((db, id: number) =>
  db.selectFrom('inbound_mail').select(['raw', 'status', 'envelope_to', 'received_at']).where('id', '=', id),
)

/** A stored message as processing needs it. */
export async function inboundForProcessing(db: Kysely<DB>, id: number) {
  return (await inboundById(db, id))[0]
}

const ticketOfMessageId = reusable((db, messageId: string) =>
  db
    .selectFrom('mail_message_ids as m')
    .innerJoin('tickets as t', 't.id', 'm.ticket_id')
    .select(['t.id', 't.number'])
    .where('m.message_id', '=', messageId),
)

/** The ticket a Message-ID was filed on, if any. */
export async function ticketOfMessage(db: Kysely<DB>, messageId: string) {
  return (await ticketOfMessageId(db, messageId))[0]
}

const fromSenderSince = reusable((db, sender: string, since: number, except: number) =>
  db
    .selectFrom('inbound_mail')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sender', '=', sender)
    .where('received_at', '>', since)
    .where('id', '<>', except),
)

/** How many other messages this sender sent since `since` (the per-sender limit on auto-responses). */
export async function countFromSender(db: Kysely<DB>, sender: string, since: number, except: number) {
  return Number((await fromSenderSince(db, sender, since, except))[0]?.n ?? 0)
}

const newMessageId = reusable(
  (db, row: { message_id: string; ticket_id: number; entry_id: number; created_at: number }) =>
    db
      .insertInto('mail_message_ids')
      .values(row)
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning('message_id'),
)

/** Records a Message-ID as filed on the ticket; false when it was already known (a duplicate). */
export async function recordMessageId(
  db: Kysely<DB>,
  row: { message_id: string; ticket_id: number; entry_id: number; created_at: number },
): Promise<boolean> {
  return (await newMessageId(db, row)).length > 0
}

export const insertEntryEmail = reusable(
  (
    db,
    row: {
      entry_id: number
      message_id: string
      from_address: string
      html: string | null
      auto_reply: number
      sender_verified: number
      inbound_mail_id: number | null
    },
  ) => db.insertInto('entry_email').values(row),
)

const inboundDone = reusable((db, id: number, ticketId: number, sender: string | null, at: number) =>
  db
    .updateTable('inbound_mail')
    .set((eb) => ({
      status: 'done',
      ticket_id: ticketId,
      sender,
      error: null,
      processed_at: at,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id),
)

/** Marks a stored message as filed on the ticket (in the transaction that filed it). */
export async function markInboundDone(
  db: Kysely<DB>,
  id: number,
  ticketId: number,
  sender: string | null,
  at: number,
): Promise<void> {
  await inboundDone(db, id, ticketId, sender, at)
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
