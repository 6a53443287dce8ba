// Departments: where tickets belong, with their routing settings (auto-assignment, cap, manager, SLA plan).
import type { Kysely, Updateable } from 'kysely'
import type { DB, DepartmentTable } from '../db/schema.ts'

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

export async function insertDepartment(
  db: Kysely<DB>,
  values: { name: string; parent_id: number | null; created_at: number },
): Promise<number> {
  const row = await db.insertInto('departments').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateDepartmentRow(db: Kysely<DB>, id: number, set: Updateable<DepartmentTable>) {
  await db.updateTable('departments').set(set).where('id', '=', id).execute()
}
