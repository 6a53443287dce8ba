// Failed password and code checks, counted in the database rather than in each process's memory, so that
// several web processes on PostgreSQL share one allowance (issue 15). Rows older than the throttle's window
// are deleted as new ones arrive.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('auth_failures')
    .addColumn('id', id, (c) => c.primaryKey())
    /** `account:…`, `account+ip:… …` or `ip:…` (see loginThrottle.ts). */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('auth_failures_key').on('auth_failures').columns(['key', 'at']).execute()
  await db.schema.createIndex('auth_failures_at').on('auth_failures').column('at').execute()
}
