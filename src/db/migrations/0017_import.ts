// Importing from another help desk (issue 14).
// - Ticket numbers are no longer the row id + 100000: they come from their own counter (a sequence on
//   PostgreSQL, a one-row table on SQLite, both starting where the old numbering would have gone on), and a
//   number already taken (an imported ticket keeps the number its customers quote) is skipped. tickets.number
//   keeps its unique index, so GET /api/v1/tickets/:number stays an index lookup.
// - import_map: which row of ours each imported row became (source, kind, source id), with a checksum of the
//   source row, so a second run adds only what is new or changed and an interrupted run resumes.
// - user_addresses: a person's further email addresses (osTicket users have several); users.email stays the
//   primary one.
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  const { rows } = await sql<{ n: number | string | null }>`select max(id) as n from tickets`.execute(db)
  const start = 100_001 + Number(rows[0]?.n ?? 0)
  if (dialect === 'postgres') {
    await sql.raw(`create sequence ticket_number_seq start with ${start}`).execute(db)
  } else {
    await db.schema
      .createTable('ticket_number_seq')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('next', 'integer', (c) => c.notNull())
      .execute()
    await db.insertInto('ticket_number_seq').values({ id: 1, next: start }).execute()
  }
  await db.schema
    .createTable('import_map')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('imported_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_map_pk', ['source', 'kind', 'source_id'])
    .execute()
  await db.schema
    .createTable('user_addresses')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('user_addresses_user').on('user_addresses').column('user_id').execute()
}
