// Single sign-on and directory sign-in (issue 18): OpenID Connect providers, sign-ins in flight, and the link
// between a person and their identity elsewhere.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { DB, IdentityProviderTable } from '../db/schema.ts'

const providerColumns = [
  'id',
  'slug',
  'name',
  'issuer',
  'client_id',
  'client_secret',
  'scopes',
  'allowed_domains',
  'unknown_people',
  'allow_customers',
  'groups_claim',
  'group_mappings',
  'enabled',
  'created_at',
  'updated_at',
] as const

export async function listProviderRows(db: Kysely<DB>) {
  return db.selectFrom('identity_providers').select(providerColumns).orderBy('name').orderBy('id').execute()
}

export type ProviderRow = Awaited<ReturnType<typeof listProviderRows>>[number]

export async function findProviderRow(db: Kysely<DB>, id: number): Promise<ProviderRow | undefined> {
  return db.selectFrom('identity_providers').select(providerColumns).where('id', '=', id).executeTakeFirst()
}

export async function findProviderBySlug(db: Kysely<DB>, slug: string): Promise<ProviderRow | undefined> {
  return db
    .selectFrom('identity_providers')
    .select(providerColumns)
    .where('slug', '=', slug)
    .executeTakeFirst()
}

export async function insertProviderRow(db: Kysely<DB>, row: Insertable<IdentityProviderTable>) {
  return db.insertInto('identity_providers').values(row).returning(providerColumns).executeTakeFirstOrThrow()
}

export async function updateProviderRow(db: Kysely<DB>, id: number, set: Updateable<IdentityProviderTable>) {
  return db
    .updateTable('identity_providers')
    .set(set)
    .where('id', '=', id)
    .returning(providerColumns)
    .executeTakeFirst()
}

export async function deleteProviderRow(db: Kysely<DB>, id: number): Promise<boolean> {
  await db.deleteFrom('user_identities').where('source', '=', `oidc:${id}`).execute()
  const r = await db.deleteFrom('identity_providers').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function insertOidcSignIn(
  db: Kysely<DB>,
  row: { stateHash: string; providerId: number; nonce: string; codeVerifier: string; returnTo: string },
  now: number,
  expiresAt: number,
) {
  await db.deleteFrom('oidc_sign_ins').where('expires_at', '<=', now).execute()
  await db
    .insertInto('oidc_sign_ins')
    .values({
      state_hash: row.stateHash,
      provider_id: row.providerId,
      nonce: row.nonce,
      code_verifier: row.codeVerifier,
      return_to: row.returnTo,
      expires_at: expiresAt,
    })
    .execute()
}

/** The sign-in with this state, removed as it is read: a state works once. */
export async function takeOidcSignIn(db: Kysely<DB>, stateHash: string) {
  return db
    .deleteFrom('oidc_sign_ins')
    .where('state_hash', '=', stateHash)
    .returning(['provider_id', 'nonce', 'code_verifier', 'return_to', 'expires_at'])
    .executeTakeFirst()
}

export async function findIdentity(db: Kysely<DB>, source: string, subject: string) {
  return db
    .selectFrom('user_identities')
    .select(['user_id'])
    .where('source', '=', source)
    .where('subject', '=', subject)
    .executeTakeFirst()
}

/** Whether the user signs in through this source (an LDAP-backed account: `ldap`). */
export async function hasIdentityAt(db: Kysely<DB>, userId: number, source: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_identities')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('source', '=', source)
    .executeTakeFirst()
  return row !== undefined
}

export async function linkIdentity(
  db: Kysely<DB>,
  link: { source: string; subject: string; userId: number },
  at: number,
): Promise<void> {
  await db
    .insertInto('user_identities')
    .values({
      source: link.source,
      subject: link.subject,
      user_id: link.userId,
      created_at: at,
      last_sign_in_at: at,
    })
    .onConflict((oc) => oc.columns(['source', 'subject']).doUpdateSet({ last_sign_in_at: at }))
    .execute()
}

export async function insertExternalUser(
  db: Kysely<DB>,
  user: { type: 'agent' | 'customer'; name: string; email: string; primaryDepartmentId: number | null },
  at: number,
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      type: user.type,
      name: user.name,
      email: user.email,
      primary_department_id: user.primaryDepartmentId,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Sets the agent's memberships in the departments a group mapping manages to `wanted` (added, role changed,
 * or removed when the person left the group); memberships in other departments are left as an admin set them.
 */
export async function setManagedMemberships(
  db: Kysely<DB>,
  agentId: number,
  managedDepartmentIds: number[],
  wanted: { departmentId: number; roleId: number }[],
): Promise<void> {
  if (managedDepartmentIds.length === 0) return
  await db
    .deleteFrom('agent_departments')
    .where('agent_id', '=', agentId)
    .where('department_id', 'in', managedDepartmentIds)
    .execute()
  if (wanted.length > 0)
    await db
      .insertInto('agent_departments')
      .values(wanted.map((m) => ({ agent_id: agentId, department_id: m.departmentId, role_id: m.roleId })))
      .execute()
}
