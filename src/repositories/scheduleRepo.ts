// Business-hours schedules. `weekly` and `holidays` are JSON columns (see db/schema.ts).
import type { Insertable, Kysely } from 'kysely'
import type { BusinessScheduleTable, DB } from '../db/schema.ts'

export type ScheduleValues = Omit<Insertable<BusinessScheduleTable>, 'id' | 'created_at'>

export async function listSchedules(db: Kysely<DB>) {
  return db.selectFrom('business_schedules').selectAll().orderBy('name').execute()
}

export async function scheduleById(db: Kysely<DB>, id: number) {
  return db.selectFrom('business_schedules').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertSchedule(db: Kysely<DB>, values: ScheduleValues, createdAt: number) {
  const row = await db
    .insertInto('business_schedules')
    .values({ ...values, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateSchedule(db: Kysely<DB>, id: number, values: ScheduleValues) {
  await db.updateTable('business_schedules').set(values).where('id', '=', id).execute()
}
