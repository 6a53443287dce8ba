import { sql, type Kysely } from 'kysely'
import { reusable } from '../db/reusable.ts'
import type { DB } from '../db/schema.ts'
import { normalizeEmail } from '../domain/emailAddress.ts'
import { isPermission, type Permission } from '../domain/permissions.ts'

const SIGN_IN_COLUMNS = [
  'id',
  'type',
  'name',
  'email',
  'password_hash',
  'is_active',
  'is_admin',
  'totp_enabled',
] as const
// Sign-in, every arriving email and every customer-facing create read users by address and id: compiled once.
const userByEmail = reusable((db, address: string) =>
  db.selectFrom('users').select(SIGN_IN_COLUMNS).where('email', '=', address),
)
const userByFurtherAddress = reusable((db, address: string) =>
  db
    .selectFrom('users')
    .select(SIGN_IN_COLUMNS)
    .where('id', '=', (eb) =>
      eb.selectFrom('user_addresses').select('user_id').where('address', '=', address),
    ),
)
const userById = reusable((db, id: number) =>
  db
    .selectFrom('users')
    .select([
      'id',
      'type',
      'name',
      'email',
      'is_active',
      'is_admin',
      'organization_id',
      'primary_department_id',
      'totp_enabled',
    ])
    .where('id', '=', id),
)

/** The user with this address: their primary one, else one of their further addresses (user_addresses). */
export async function findUserByEmail(db: Kysely<DB>, email: string) {
  const address = normalizeEmail(email)
  return (await userByEmail(db, address))[0] ?? (await userByFurtherAddress(db, address))[0]
}

export async function findUserById(db: Kysely<DB>, id: number) {
  return (await userById(db, id))[0]
}

/**
 * Department id → the permissions of the agent's role there, for one or many agents in one query. Disabled
 * departments count too: their agents keep working the tickets already in them, while createTicket and
 * transfers refuse a disabled department as a destination.
 */
export async function rolesOf(
  db: Kysely<DB>,
  agentIds: number[],
): Promise<Map<number, Map<number, Set<Permission>>>> {
  const result = new Map<number, Map<number, Set<Permission>>>()
  if (agentIds.length === 0) return result
  const rows = await db
    .selectFrom('agent_departments as ad')
    .innerJoin('roles as r', 'r.id', 'ad.role_id')
    .select(['ad.agent_id', 'ad.department_id', 'r.permissions'])
    .where('ad.agent_id', 'in', agentIds)
    .execute()
  for (const row of rows) {
    const perms = (JSON.parse(row.permissions) as string[]).filter(isPermission)
    let byDept = result.get(row.agent_id)
    if (!byDept) result.set(row.agent_id, (byDept = new Map()))
    byDept.set(row.department_id, new Set(perms))
  }
  return result
}

export async function teamIdsOf(db: Kysely<DB>, agentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select('m.team_id')
    .where('m.agent_id', '=', agentId)
    .where('t.is_active', '=', 1)
    .execute()
  return rows.map((r) => r.team_id)
}

/** Active agents with a role in the department. */
export async function agentIdsInDepartment(db: Kysely<DB>, departmentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('agent_departments as ad')
    .innerJoin('users as u', 'u.id', 'ad.agent_id')
    .select('u.id')
    .where('ad.department_id', '=', departmentId)
    .where('u.is_active', '=', 1)
    .execute()
  return rows.map((r) => r.id)
}

export async function departmentIdsOfAgent(db: Kysely<DB>, agentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('agent_departments')
    .select('department_id')
    .where('agent_id', '=', agentId)
    .execute()
  return rows.map((r) => r.department_id)
}

/** Escapes LIKE wildcards so user input only ever matches literally. */
export function likePrefix(input: string): string {
  return `${input.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export async function searchAgents(db: Kysely<DB>, q: string | undefined, limit: number) {
  let query = db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'primary_department_id'])
    .where('type', '=', 'agent')
    .where('is_active', '=', 1)
  if (q && q.trim() !== '') {
    const pattern = likePrefix(q.trim().toLowerCase())
    // ESCAPE is explicit because SQLite has no default LIKE escape character.
    query = query.where(
      sql<boolean>`(lower(name) like ${pattern} escape '\\' or email like ${pattern} escape '\\')`,
    )
  }
  const agents = await query.orderBy('name').orderBy('id').limit(limit).execute()
  if (agents.length === 0) return []
  const memberships = await db
    .selectFrom('agent_departments as ad')
    .innerJoin('departments as d', 'd.id', 'ad.department_id')
    .innerJoin('roles as r', 'r.id', 'ad.role_id')
    .select(['ad.agent_id', 'd.id', 'd.name', 'r.name as role'])
    .where(
      'ad.agent_id',
      'in',
      agents.map((a) => a.id),
    )
    .orderBy('d.name')
    .execute()
  return agents.map((a) => ({
    ...a,
    departments: memberships.filter((m) => m.agent_id === a.id),
  }))
}

/** Active customers whose name or email starts with `q`, with their organisation (requester search). */
export async function searchCustomers(db: Kysely<DB>, q: string, limit: number) {
  const pattern = likePrefix(q.trim().toLowerCase())
  return db
    .selectFrom('users as u')
    .leftJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(['u.id', 'u.name', 'u.email', 'o.id as organization_id', 'o.name as organization_name'])
    .where('u.type', '=', 'customer')
    .where('u.is_active', '=', 1)
    .where(sql<boolean>`(lower(u.name) like ${pattern} escape '\\' or u.email like ${pattern} escape '\\')`)
    .orderBy('u.name')
    .orderBy('u.id')
    .limit(limit)
    .execute()
}

/** The organisation a user belongs to, if any. */
export async function organizationOf(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(['o.id', 'o.name'])
    .where('u.id', '=', userId)
    .executeTakeFirst()
}

export async function findOrCreateCustomer(
  db: Kysely<DB>,
  input: { email: string; name?: string | undefined },
  at: number,
): Promise<{ id: number; type: 'agent' | 'customer'; name: string; email: string }> {
  // One form of an address (NFC, lower case), whichever way the caller received it.
  const email = normalizeEmail(input.email)
  const existing =
    (await db
      .selectFrom('users')
      .select(['id', 'type', 'name', 'email'])
      .where('email', '=', email)
      .executeTakeFirst()) ??
    (await db
      .selectFrom('users')
      .select(['id', 'type', 'name', 'email'])
      .where('id', '=', (eb) =>
        eb.selectFrom('user_addresses').select('user_id').where('address', '=', email),
      )
      .executeTakeFirst())
  if (existing) return existing
  // Kept byte-exact as given; only a blank name falls back to the address's local part.
  const name = input.name !== undefined && input.name.trim() !== '' ? input.name : email.split('@')[0]!
  const row = await db
    .insertInto('users')
    .values({ type: 'customer', name, email, created_at: at })
    .returning(['id', 'type', 'name', 'email'])
    .executeTakeFirstOrThrow()
  return row
}

/** The signatures a public reply of this agent gets in this department: theirs, then the department's. */
export async function signaturesFor(db: Kysely<DB>, agentId: number, departmentId: number) {
  const [agent, department] = await Promise.all([
    db.selectFrom('users').select('signature').where('id', '=', agentId).executeTakeFirst(),
    db.selectFrom('departments').select('signature').where('id', '=', departmentId).executeTakeFirst(),
  ])
  return { personal: agent?.signature ?? null, department: department?.signature ?? null }
}

export async function setUserSignature(db: Kysely<DB>, userId: number, signature: string | null) {
  await db.updateTable('users').set({ signature }).where('id', '=', userId).execute()
}

/** An agent's own signature and those of their departments that have one (for their settings page). */
export async function agentSignatures(db: Kysely<DB>, agentId: number) {
  const [mine, departments] = await Promise.all([
    db.selectFrom('users').select('signature').where('id', '=', agentId).executeTakeFirst(),
    db
      .selectFrom('agent_departments as ad')
      .innerJoin('departments as d', 'd.id', 'ad.department_id')
      .select(['d.id', 'd.name', 'd.signature'])
      .where('ad.agent_id', '=', agentId)
      .where('d.signature', 'is not', null)
      .orderBy('d.name')
      .execute(),
  ])
  return { mine, departments }
}
