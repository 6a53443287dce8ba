// The raw message an emailed thread entry came from. The raw source of filed mail is read through its ticket
// (GET /api/v1/tickets/:number/messages/:entryId/raw), by someone who may see the ticket; the failed-mail view
// serves only mail that failed (issue 9). Entries filed before this migration have no link, and their raw
// source is no longer served.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('entry_email')
    .addColumn('inbound_mail_id', 'integer', (c) => c.references('inbound_mail.id'))
    .execute()
}
