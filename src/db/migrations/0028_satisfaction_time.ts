// Satisfaction surveys and time tracking (issue 16). A survey is one resolution of a ticket: asked when the
// ticket is resolved, answered once (good or bad, with an optional comment) and changeable until it expires.
// Only a sha256 of its emailed link's token is stored, like ticket links and password resets. Time entries are
// minutes an agent logged on a ticket.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('satisfaction_settings')
    .addColumn('department_id', 'integer', (c) =>
      c.primaryKey().references('departments.id').onDelete('cascade'),
    )
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('satisfaction_surveys')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('users.id'))
    /** Who held the ticket when it was resolved: the reports group by these. */
    .addColumn('department_id', 'integer', (c) => c.notNull())
    .addColumn('agent_id', 'integer')
    .addColumn('team_id', 'integer')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('asked_at', ts, (c) => c.notNull())
    /** The answer can be given and changed until then (7 days after asking). */
    .addColumn('expires_at', ts, (c) => c.notNull())
    /** The emailed link works once. */
    .addColumn('link_used_at', ts)
    /** Set when the ticket was resolved again: a later survey replaces an unanswered one. */
    .addColumn('closed_at', ts)
    /** good | bad */
    .addColumn('rating', 'text')
    .addColumn('comment', 'text')
    .addColumn('rated_at', ts)
    .addColumn('rated_channel', 'text')
    .execute()
  await db.schema
    .createIndex('satisfaction_surveys_ticket')
    .on('satisfaction_surveys')
    .columns(['ticket_id', 'id'])
    .execute()
  await db.schema
    .createIndex('satisfaction_surveys_asked')
    .on('satisfaction_surveys')
    .columns(['asked_at'])
    .execute()
  await db.schema
    .createTable('time_entries')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('billable', 'integer', (c) => c.notNull().defaultTo(0))
    /** The reply or note the time was logged with, from the composer. */
    .addColumn('entry_id', 'integer')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('time_entries_ticket').on('time_entries').columns(['ticket_id', 'id']).execute()
  await db.schema.createIndex('time_entries_created').on('time_entries').columns(['created_at']).execute()
}
