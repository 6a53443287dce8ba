// Custom ticket field definitions. `options` is a JSON array of choices.
import type { Insertable, Kysely } from 'kysely'
import type { CustomFieldTable, DB } from '../db/schema.ts'

export type CustomFieldValues = Omit<Insertable<CustomFieldTable>, 'id' | 'created_at'>

/** Every definition (or only the enabled ones) in the order forms show them. */
export async function listCustomFields(db: Kysely<DB>, { activeOnly = false } = {}) {
  return db
    .selectFrom('custom_fields')
    .selectAll()
    .$if(activeOnly, (q) => q.where('is_active', '=', 1))
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function customFieldKeys(db: Kysely<DB>): Promise<Set<string>> {
  return new Set((await db.selectFrom('custom_fields').select('key').execute()).map((f) => f.key))
}

export async function customFieldById(db: Kysely<DB>, id: number) {
  return db.selectFrom('custom_fields').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertCustomField(db: Kysely<DB>, values: CustomFieldValues, createdAt: number) {
  const row = await db
    .insertInto('custom_fields')
    .values({ ...values, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateCustomField(db: Kysely<DB>, id: number, values: CustomFieldValues) {
  await db.updateTable('custom_fields').set(values).where('id', '=', id).execute()
}
