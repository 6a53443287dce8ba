// The demo people from the lifecycle story. Idempotent: running it again changes nothing that exists.
import type { Kysely } from 'kysely'
import { hashPassword } from '../commands/auth.ts'
import type { DB } from '../db/schema.ts'
import type { MacroAction } from '../domain/macros.ts'
import { BUILT_IN_ROLES } from '../domain/permissions.ts'
import { BUILT_IN_STATUSES } from '../domain/tickets.ts'
import { putSetting, getSetting } from '../repositories/settingsRepo.ts'

export const DEMO_PASSWORD = 'demo-password'

export const DEMO_DEPARTMENTS = ['Support', 'System Administrators', 'Billing'] as const

export const DEMO_AGENTS = [
  { name: 'John Doe', email: 'john@example.com', department: 'Support', role: 'expanded_access' },
  { name: 'Jane Doe', email: 'jane@example.com', department: 'System Administrators', role: 'all_access' },
  { name: 'Sam Roe', email: 'sam@example.com', department: 'Billing', role: 'all_access' },
  { name: 'Alex Kim', email: 'alex@example.com', department: 'Support', role: 'expanded_access' },
] as const

/** Issue 5's demo service levels: Monday to Friday 08:00–17:00 in London, and the default plan "Standard". */
export const DEMO_SCHEDULE = {
  name: 'Office hours',
  timeZone: 'Europe/London',
  weekly: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [{ start: '08:00', end: '17:00' }]]),
  ),
  holidays: [] as string[],
}
const hours = (first: number, resolution: number, counted: 'business' | '24x7') => ({
  firstResponseMinutes: first,
  nextResponseMinutes: first,
  resolutionMinutes: resolution,
  hours: counted,
})
export const DEMO_PLAN = {
  name: 'Standard',
  targets: {
    low: hours(240, 960, 'business'),
    normal: hours(240, 960, 'business'),
    high: hours(60, 480, 'business'),
    emergency: hours(30, 240, '24x7'),
  },
}

async function seedServiceLevels(db: Kysely<DB>, at: number): Promise<void> {
  let schedule = await db
    .selectFrom('business_schedules')
    .select('id')
    .where('name', '=', DEMO_SCHEDULE.name)
    .executeTakeFirst()
  schedule ??= await db
    .insertInto('business_schedules')
    .values({
      name: DEMO_SCHEDULE.name,
      time_zone: DEMO_SCHEDULE.timeZone,
      weekly: JSON.stringify(DEMO_SCHEDULE.weekly),
      holidays: JSON.stringify(DEMO_SCHEDULE.holidays),
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  let plan = await db
    .selectFrom('sla_plans')
    .select('id')
    .where('name', '=', DEMO_PLAN.name)
    .executeTakeFirst()
  plan ??= await db
    .insertInto('sla_plans')
    .values({
      name: DEMO_PLAN.name,
      schedule_id: schedule.id,
      targets: JSON.stringify(DEMO_PLAN.targets),
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if ((await getSetting(db, 'default_sla_plan_id')) === undefined)
    await putSetting(db, 'default_sla_plan_id', String(plan.id))
}
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
  const adminId = await ensureUser(db, { ...DEMO_ADMIN, type: 'agent', isAdmin: true, passwordHash }, at)
  await seedDemoMacro(db, adminId, at)
  await seedServiceLevels(db, at)
  await db
    .insertInto('intake_addresses')
    .values({ address: DEMO_INTAKE_ADDRESS, department_id: departmentIds.get('Support')!, created_at: at })
    .onConflict((oc) => oc.column('address').doNothing())
    .execute()
  for (const customer of DEMO_CUSTOMERS)
    await ensureUser(db, { ...customer, type: 'customer', passwordHash }, at)
}

/** Zammad's classic: one shared macro that closes a ticket as spam, tags it and says why in a note. */
export const DEMO_MACRO: { name: string; actions: MacroAction[] } = {
  name: 'Close and tag as spam',
  actions: [
    { type: 'set_status', status: 'closed' },
    { type: 'add_tags', tags: ['spam'] },
    { type: 'add_note', body: 'Closed as spam by {{agent.name}}.' },
  ],
}

async function seedDemoMacro(db: Kysely<DB>, ownerId: number, at: number): Promise<void> {
  const existing = await db
    .selectFrom('macros')
    .select('id')
    .where('name', '=', DEMO_MACRO.name)
    .where('shared', '=', 1)
    .executeTakeFirst()
  if (existing) return
  await db
    .insertInto('macros')
    .values({
      name: DEMO_MACRO.name,
      owner_agent_id: ownerId,
      shared: 1,
      actions: JSON.stringify(DEMO_MACRO.actions),
      created_at: at,
      updated_at: at,
    })
    .execute()
}

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return row === undefined
}
