// Queries used by the automation step of the ticket commands: rules, topics, canned responses.
import type { Kysely, Selectable } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Rule } from '../domain/rules.ts'

export function toRule(r: Selectable<DB['rules']>): Rule {
  return {
    id: r.id,
    name: r.name,
    event: r.event,
    conditions: JSON.parse(r.conditions) as Rule['conditions'],
    match: r.match,
    actions: JSON.parse(r.actions) as Rule['actions'],
    stopProcessing: r.stop_processing === 1,
  }
}

export async function findCanned(db: Kysely<DB>, id: number) {
  return db.selectFrom('canned_responses').selectAll().where('id', '=', id).executeTakeFirst()
}

export const SYSTEM_EMAIL = 'system@switchboard.invalid'

/** The author of automatic replies: an agent account that cannot sign in (inactive, no password). */
export async function systemUserId(db: Kysely<DB>, at: number): Promise<number> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', SYSTEM_EMAIL)
    .executeTakeFirst()
  if (existing) return existing.id
  const row = await db
    .insertInto('users')
    .values({ type: 'agent', name: 'Switchboard', email: SYSTEM_EMAIL, is_active: 0, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
