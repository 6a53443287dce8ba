// The demo people from the lifecycle story. Idempotent: running it again changes nothing that exists.
import type { Kysely } from 'kysely'
import { hashPassword } from '../commands/auth.ts'
import type { DB } from '../db/schema.ts'
import { BUILT_IN_ROLES } from '../domain/permissions.ts'
import { BUILT_IN_STATUSES } from '../domain/tickets.ts'
import { putSetting, getSetting } from '../repositories/settingsRepo.ts'

export const DEMO_PASSWORD = 'demo-password'

export const DEMO_DEPARTMENTS = ['Support', 'System Administrators', 'Billing'] as const

export const DEMO_AGENTS = [
  { name: 'John Doe', email: 'john@example.com', department: 'Support', role: 'expanded_access' },
  { name: 'Jane Doe', email: 'jane@example.com', department: 'System Administrators', role: 'all_access' },
  { name: 'Sam Roe', email: 'sam@example.com', department: 'Billing', role: 'all_access' },
] as const

/** Mail to this address becomes a ticket in Support. */
export const DEMO_INTAKE_ADDRESS = 'support@example.com'

export const DEMO_ADMIN = { name: 'Admin', email: 'admin@example.com' }

export const DEMO_CUSTOMERS = [
  { name: 'Ken Adams', email: 'ken@example.com' },
  { name: 'Lena Park', email: 'lena@example.com' },
] as const

/** Statuses, roles and settings every install needs, demo or not. */
export async function seedEssentials(db: Kysely<DB>, at: number): Promise<void> {
  for (const s of BUILT_IN_STATUSES) {
    await db
      .insertInto('ticket_statuses')
      .values(s)
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  }
  for (const role of BUILT_IN_ROLES) {
    await db
      .insertInto('roles')
      .values({ key: role.key, name: role.name, permissions: JSON.stringify(role.permissions) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  }
  const anyDepartment = await db.selectFrom('departments').select('id').orderBy('id').executeTakeFirst()
  if (!anyDepartment) {
    await db.insertInto('departments').values({ name: 'Support', created_at: at }).execute()
  }
  if ((await getSetting(db, 'default_department_id')) === undefined) {
    const first = await db.selectFrom('departments').select('id').orderBy('id').executeTakeFirstOrThrow()
    await putSetting(db, 'default_department_id', String(first.id))
  }
}

async function ensureDepartment(db: Kysely<DB>, name: string, at: number): Promise<number> {
  const existing = await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst()
  if (existing) return existing.id
  const row = await db
    .insertInto('departments')
    .values({ name, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function ensureUser(
  db: Kysely<DB>,
  user: { name: string; email: string; type: 'agent' | 'customer'; isAdmin?: boolean; passwordHash: string },
  at: number,
): Promise<number> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', user.email)
    .executeTakeFirst()
  if (existing) return existing.id
  const row = await db
    .insertInto('users')
    .values({
      type: user.type,
      name: user.name,
      email: user.email,
      password_hash: user.passwordHash,
      is_admin: user.isAdmin ? 1 : 0,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function seedDemo(db: Kysely<DB>, at: number): Promise<void> {
  await seedEssentials(db, at)
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const departmentIds = new Map<string, number>()
  for (const name of DEMO_DEPARTMENTS) departmentIds.set(name, await ensureDepartment(db, name, at))
  await putSetting(db, 'default_department_id', String(departmentIds.get('Support')))

  for (const agent of DEMO_AGENTS) {
    const id = await ensureUser(db, { ...agent, type: 'agent', passwordHash }, at)
    const departmentId = departmentIds.get(agent.department)!
    const role = await db
      .selectFrom('roles')
      .select('id')
      .where('key', '=', agent.role)
      .executeTakeFirstOrThrow()
    await db
      .insertInto('agent_departments')
      .values({ agent_id: id, department_id: departmentId, role_id: role.id })
      .onConflict((oc) => oc.columns(['agent_id', 'department_id']).doNothing())
      .execute()
    await db
      .updateTable('users')
      .set({ primary_department_id: departmentId })
      .where('id', '=', id)
      .where('primary_department_id', 'is', null)
      .execute()
  }
  await ensureUser(db, { ...DEMO_ADMIN, type: 'agent', isAdmin: true, passwordHash }, at)
  await db
    .insertInto('intake_addresses')
    .values({ address: DEMO_INTAKE_ADDRESS, department_id: departmentIds.get('Support')!, created_at: at })
    .onConflict((oc) => oc.column('address').doNothing())
    .execute()
  for (const customer of DEMO_CUSTOMERS)
    await ensureUser(db, { ...customer, type: 'customer', passwordHash }, at)
}

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return row === undefined
}
