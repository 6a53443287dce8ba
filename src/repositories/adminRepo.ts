// Queries behind the admin console. Each list loads its children in one extra query, never one per row.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { normalizeEmail } from '../domain/emailAddress.ts'
import { likePrefix } from './userRepo.ts'

// ---- departments

const DEPARTMENT_COLUMNS = [
  'id',
  'name',
  'parent_id',
  'is_active',
  'auto_assign',
  'max_open_per_agent',
  'assign_signed_in_within_minutes',
  'manager_id',
  'sla_plan_id',
  'signature',
] as const

export async function listAllDepartments(db: Kysely<DB>) {
  return db.selectFrom('departments').select(DEPARTMENT_COLUMNS).orderBy('name').orderBy('id').execute()
}

export async function departmentById(db: Kysely<DB>, id: number) {
  return db.selectFrom('departments').select(DEPARTMENT_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function departmentIdByName(db: Kysely<DB>, name: string) {
  const row = await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

/** The parent of every department, for walking a chain of parents. */
export async function departmentParents(db: Kysely<DB>): Promise<Map<number, number | null>> {
  const rows = await db.selectFrom('departments').select(['id', 'parent_id']).execute()
  return new Map(rows.map((r) => [r.id, r.parent_id]))
}

export async function existingDepartmentIds(db: Kysely<DB>, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

// ---- teams

export async function listAllTeams(db: Kysely<DB>) {
  return db.selectFrom('teams').select(['id', 'name', 'is_active']).orderBy('name').orderBy('id').execute()
}

export async function teamById(db: Kysely<DB>, id: number) {
  return db.selectFrom('teams').select(['id', 'name', 'is_active']).where('id', '=', id).executeTakeFirst()
}

export async function teamIdByName(db: Kysely<DB>, name: string) {
  const row = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

export async function membersOfTeams(db: Kysely<DB>, teamIds: number[]) {
  if (teamIds.length === 0) return []
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.agent_id')
    .select(['m.team_id', 'u.id', 'u.name'])
    .where('m.team_id', 'in', teamIds)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
}

export async function replaceTeamMembers(db: Kysely<DB>, teamId: number, agentIds: number[]) {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute()
  if (agentIds.length > 0) {
    await db
      .insertInto('team_members')
      .values(agentIds.map((agent_id) => ({ team_id: teamId, agent_id })))
      .execute()
  }
}

// ---- people

/** Of these ids, the ones that are agents. */
export async function existingAgentIds(db: Kysely<DB>, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', ids)
    .where('type', '=', 'agent')
    .execute()
  return new Set(rows.map((r) => r.id))
}

export async function userIdByEmail(db: Kysely<DB>, email: string) {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst()
  return row?.id
}

const personColumns = [
  'u.id',
  'u.type',
  'u.name',
  'u.email',
  'u.is_active',
  'u.is_admin',
  'u.primary_department_id',
  'u.organization_id',
  'u.on_vacation',
] as const

export async function listAgents(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .select(personColumns)
    .where('u.type', '=', 'agent')
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
}

export async function personById(db: Kysely<DB>, id: number, type: 'agent' | 'customer') {
  return db
    .selectFrom('users as u')
    .select(personColumns)
    .where('u.id', '=', id)
    .where('u.type', '=', type)
    .executeTakeFirst()
}

export type PersonRow = NonNullable<Awaited<ReturnType<typeof personById>>>

export async function membershipsOf(db: Kysely<DB>, agentIds: number[]) {
  if (agentIds.length === 0) return []
  return db
    .selectFrom('agent_departments as ad')
    .innerJoin('departments as d', 'd.id', 'ad.department_id')
    .innerJoin('roles as r', 'r.id', 'ad.role_id')
    .select(['ad.agent_id', 'ad.department_id', 'd.name as department_name', 'r.key as role'])
    .where('ad.agent_id', 'in', agentIds)
    .orderBy('d.name')
    .orderBy('d.id')
    .execute()
}

export async function replaceMemberships(
  db: Kysely<DB>,
  agentId: number,
  memberships: { departmentId: number; roleId: number }[],
) {
  await db.deleteFrom('agent_departments').where('agent_id', '=', agentId).execute()
  if (memberships.length > 0) {
    await db
      .insertInto('agent_departments')
      .values(
        memberships.map((m) => ({ agent_id: agentId, department_id: m.departmentId, role_id: m.roleId })),
      )
      .execute()
  }
}

export async function listCustomers(
  db: Kysely<DB>,
  input: { q: string | undefined; after: { name: string; id: number } | undefined; limit: number },
) {
  let query = db
    .selectFrom('users as u')
    .leftJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(personColumns)
    .select('o.name as organization_name')
    .where('u.type', '=', 'customer')
  if (input.q && input.q.trim() !== '') {
    const pattern = likePrefix(input.q.trim().toLowerCase())
    // ESCAPE is explicit because SQLite has no default LIKE escape character.
    query = query.where(
      sql<boolean>`(lower(u.name) like ${pattern} escape '\\' or u.email like ${pattern} escape '\\')`,
    )
  }
  if (input.after) {
    const { name, id } = input.after
    query = query.where((eb) =>
      eb.or([eb('u.name', '>', name), eb.and([eb('u.name', '=', name), eb('u.id', '>', id)])]),
    )
  }
  return query.orderBy('u.name').orderBy('u.id').limit(input.limit).execute()
}

export async function customerWithOrganization(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(personColumns)
    .select('o.name as organization_name')
    .where('u.id', '=', id)
    .where('u.type', '=', 'customer')
    .executeTakeFirst()
}

// ---- organisations

export async function listOrganizations(db: Kysely<DB>) {
  return db
    .selectFrom('organizations as o')
    .select(['o.id', 'o.name', 'o.is_active'])
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.organization_id', '=', 'o.id')
        .where('u.type', '=', 'customer')
        .as('customer_count'),
    )
    .orderBy('o.name')
    .orderBy('o.id')
    .execute()
}

export async function organizationById(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('organizations as o')
    .select(['o.id', 'o.name', 'o.is_active'])
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.organization_id', '=', 'o.id')
        .where('u.type', '=', 'customer')
        .as('customer_count'),
    )
    .where('o.id', '=', id)
    .executeTakeFirst()
}

export async function organizationIdByName(db: Kysely<DB>, name: string) {
  const row = await db.selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

// ---- roles

export async function listRoles(db: Kysely<DB>) {
  return db.selectFrom('roles').select(['id', 'key', 'name', 'permissions']).orderBy('id').execute()
}
