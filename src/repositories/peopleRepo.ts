// Agents and customers as the admin console manages them (accounts: users of either type).
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { DB, UserTable } from '../db/schema.ts'
import { normalizeEmail } from '../domain/emailAddress.ts'
import { likePrefix } from './userRepo.ts'

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

export async function insertPerson(db: Kysely<DB>, values: Insertable<UserTable>): Promise<number> {
  const row = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updatePerson(db: Kysely<DB>, id: number, set: Updateable<UserTable>) {
  await db.updateTable('users').set(set).where('id', '=', id).execute()
}
