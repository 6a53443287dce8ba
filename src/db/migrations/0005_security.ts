// Security: where each event came from (IP, user agent) for the audit log, password reset links, TOTP two-factor
// sign-in with recovery codes, sign-in challenges between the password and the second factor, and personal
// access tokens. Every secret is stored as a sha256 hash, except the TOTP seed, which the server must read.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// Kysely<any> is the documented type for migrations: they must not depend on today's table types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'

  await db.schema.alterTable('events').addColumn('ip', 'text').execute()
  await db.schema.alterTable('events').addColumn('user_agent', 'text').execute()
  // The admin audit log filters by type or by actor, newest first (keyset on id).
  await db.schema.createIndex('events_type').on('events').columns(['type', 'id']).execute()
  await db.schema.createIndex('events_actor').on('events').columns(['actor_id', 'id']).execute()

  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // The last accepted TOTP time step: a code is accepted once (RFC 6238 §5.2).
  await db.schema.alterTable('users').addColumn('totp_last_step', ts).execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .execute()
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute()

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .execute()
  await db.schema
    .createIndex('password_resets_user')
    .on('password_resets')
    .columns(['user_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('login_challenges')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('login_challenges_user').on('login_challenges').column('user_id').execute()

  await db.schema
    .createTable('access_tokens')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    /** The first characters of the token, shown in lists so people can tell their tokens apart. */
    .addColumn('prefix', 'text', (c) => c.notNull())
    /** JSON array of scopes. */
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts)
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute()
  await db.schema.createIndex('access_tokens_user').on('access_tokens').columns(['user_id', 'id']).execute()
}
