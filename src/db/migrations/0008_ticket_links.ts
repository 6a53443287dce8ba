// Ticket links: a single-use sign-in link mailed to a customer who knows a ticket's number and their email but
// not their password ("check a ticket's status"). Only a sha256 of the token is stored, like password resets.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('ticket_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .execute()
  await db.schema
    .createIndex('ticket_links_user')
    .on('ticket_links')
    .columns(['user_id', 'created_at'])
    .execute()
}
