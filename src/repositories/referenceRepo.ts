// Does the row a setting points at exist? The checks admin commands make before saving a reference.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

type ById = 'departments' | 'teams' | 'users' | 'sla_plans' | 'canned_responses' | 'business_schedules'

export async function idExists(db: Kysely<DB>, table: ById, id: number): Promise<boolean> {
  if (!Number.isInteger(id)) return false
  return (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Whether a person is an agent or a customer, and enabled; undefined for no such person. */
export async function personKind(db: Kysely<DB>, id: number) {
  return db.selectFrom('users').select(['type', 'is_active']).where('id', '=', id).executeTakeFirst()
}
