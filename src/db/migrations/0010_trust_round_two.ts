// Issue 9 (trust, round 2): the addresses each account has signed in from, so a flood of wrong passwords from
// elsewhere cannot lock its owner out (docs/SECURITY.md, "Throttling"), and a hash of the request that an
// Idempotency-Key was first used with, so the key cannot replay a different request.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('sign_in_addresses')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    /** The client address, an IPv6 one reduced to its /64 (see loginThrottle.addressKey). */
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('first_at', ts, (c) => c.notNull())
    .addColumn('last_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_addresses_pk', ['user_id', 'address'])
    .execute()
  // sha256 of the canonical request body; null for keys stored before this migration (they replay as before).
  await db.schema.alterTable('idempotency_keys').addColumn('request_hash', 'text').execute()
}
