// Issue 13. Sessions become things a person can see and end one by one: a public id (the token hash is the key
// and must never leave the server), where the session started (IP, user agent) and when it was last seen.
// Mail previews: without SMTP_URL, outgoing mail is kept here for admins instead of failing silently; the
// newest 500 are kept (mail/transport.ts prunes as it writes).
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'

  await db.schema.alterTable('sessions').addColumn('id', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('last_seen_at', ts).execute()
  // Sessions open at upgrade time stay signed in, each with a random id of its own.
  const random =
    dialect === 'postgres'
      ? sql`md5(random()::text || clock_timestamp()::text || token_hash)`
      : sql`lower(hex(randomblob(12)))`
  await db
    .updateTable('sessions')
    .set({ id: random, last_seen_at: sql`created_at` })
    .execute()
  await db.schema.createIndex('sessions_id').unique().on('sessions').column('id').execute()

  await db.schema
    .createTable('mail_previews')
    .addColumn('id', id, (c) => c.primaryKey())
    /** What kind of mail: a template key (`password_reset`, `ticket_link`, `new_ticket_autoresponse`, …). */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The ticket a message is about: only admins who may see that ticket see the message. */
    .addColumn('ticket_id', 'integer')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    /** JSON array of the attached files' names (the files themselves are not kept). */
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
}
