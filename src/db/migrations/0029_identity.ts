// Single sign-on and directory sign-in (issue 18): OpenID Connect providers set up by an admin, the sign-ins in
// flight (state, nonce and PKCE verifier, kept here so any web process can finish what another started), the
// link between a person and their identity at a provider or in the LDAP directory, and the expiry of API keys.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('identity_providers')
    .addColumn('id', id, (c) => c.primaryKey())
    /** In the sign-in URLs: /api/v1/auth/oidc/<slug>/start. */
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    /** Needed in the clear at the token endpoint; never returned by the API. */
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    /** JSON array of lower-cased domains; empty allows any. */
    .addColumn('allowed_domains', 'text', (c) => c.notNull())
    /** refuse | customer */
    .addColumn('unknown_people', 'text', (c) => c.notNull())
    .addColumn('allow_customers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('groups_claim', 'text', (c) => c.notNull())
    /** JSON array of {group, departmentId, roleId}. */
    .addColumn('group_mappings', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('oidc_sign_ins')
    /** sha256 of the state sent to the provider. */
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'integer', (c) =>
      c.notNull().references('identity_providers.id').onDelete('cascade'),
    )
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('user_identities')
    /** `oidc:<provider id>` or `ldap`. */
    .addColumn('source', 'text', (c) => c.notNull())
    /** The provider's `sub`, or the directory entry's DN. */
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_sign_in_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_identities_pk', ['source', 'subject'])
    .execute()
  await db.schema
    .createIndex('user_identities_user')
    .on('user_identities')
    .columns(['user_id', 'source'])
    .execute()
  await db.schema.alterTable('api_keys').addColumn('expires_at', ts).execute()
}
