// Automation rules. `conditions` and `actions` are JSON columns (see db/schema.ts).
import type { Insertable, Kysely } from 'kysely'
import type { DB, RuleTable } from '../db/schema.ts'

export type RuleValues = Omit<Insertable<RuleTable>, 'id' | 'created_at'>

/** Every rule in the order it runs within its event. */
export async function listRules(db: Kysely<DB>) {
  return db.selectFrom('rules').selectAll().orderBy('event').orderBy('position').orderBy('id').execute()
}

/** The enabled rules in the order they run, for the routing snapshot. */
export async function activeRules(db: Kysely<DB>) {
  return db
    .selectFrom('rules')
    .selectAll()
    .where('is_active', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function ruleById(db: Kysely<DB>, id: number) {
  return db.selectFrom('rules').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertRule(db: Kysely<DB>, values: RuleValues, createdAt: number) {
  const row = await db
    .insertInto('rules')
    .values({ ...values, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateRule(db: Kysely<DB>, id: number, values: RuleValues) {
  await db.updateTable('rules').set(values).where('id', '=', id).execute()
}

/** False when there was no such rule. */
export async function deleteRule(db: Kysely<DB>, id: number): Promise<boolean> {
  const gone = await db.deleteFrom('rules').where('id', '=', id).executeTakeFirst()
  return Number(gone.numDeletedRows) > 0
}
