import type { Kysely, Selectable } from 'kysely'
import type { DB } from '../db/schema.ts'

export type MacroRow = Selectable<DB['macros']>

/** The macros an agent may use: their own and the shared ones. */
export async function macrosFor(db: Kysely<DB>, agentId: number): Promise<MacroRow[]> {
  return db
    .selectFrom('macros')
    .selectAll()
    .where((eb) => eb.or([eb('shared', '=', 1), eb('owner_agent_id', '=', agentId)]))
    .orderBy('name')
    .orderBy('id')
    .limit(1000)
    .execute()
}

export async function findMacro(db: Kysely<DB>, id: number): Promise<MacroRow | undefined> {
  return db.selectFrom('macros').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertMacro(
  db: Kysely<DB>,
  values: { name: string; ownerAgentId: number; shared: boolean; actions: string; at: number },
): Promise<MacroRow> {
  return db
    .insertInto('macros')
    .values({
      name: values.name,
      owner_agent_id: values.ownerAgentId,
      shared: values.shared ? 1 : 0,
      actions: values.actions,
      created_at: values.at,
      updated_at: values.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateMacroRow(
  db: Kysely<DB>,
  id: number,
  set: { name?: string; shared?: boolean; actions?: string; at: number },
): Promise<MacroRow> {
  return db
    .updateTable('macros')
    .set({
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.shared !== undefined ? { shared: set.shared ? 1 : 0 } : {}),
      ...(set.actions !== undefined ? { actions: set.actions } : {}),
      updated_at: set.at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteMacroRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('macros').where('id', '=', id).execute()
}
