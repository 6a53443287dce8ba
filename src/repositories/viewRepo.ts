import { sql, type Insertable, type Kysely, type Selectable, type SqlBool, type Updateable } from 'kysely'
import type { DB, SavedViewTable } from '../db/schema.ts'

export type ViewRow = Selectable<SavedViewTable>

/** The views an agent may see: their own, and the shared ones of their departments or of everyone. */
export async function viewsVisibleTo(
  db: Kysely<DB>,
  agent: { id: number; departmentIds: number[]; isAdmin: boolean },
): Promise<ViewRow[]> {
  return db
    .selectFrom('saved_views')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('owner_agent_id', '=', agent.id),
        eb.and([
          eb('shared', '=', 1),
          agent.isAdmin
            ? sql<SqlBool>`1 = 1`
            : eb.or([
                eb('department_id', 'is', null),
                ...(agent.departmentIds.length ? [eb('department_id', 'in', agent.departmentIds)] : []),
              ]),
        ]),
      ]),
    )
    .orderBy('shared')
    .orderBy('name')
    .orderBy('id')
    .execute()
}

export async function findView(db: Kysely<DB>, id: number): Promise<ViewRow | undefined> {
  return db.selectFrom('saved_views').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertView(db: Kysely<DB>, row: Insertable<SavedViewTable>): Promise<number> {
  const { id } = await db.insertInto('saved_views').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function updateViewRow(
  db: Kysely<DB>,
  id: number,
  set: Updateable<SavedViewTable>,
): Promise<void> {
  await db.updateTable('saved_views').set(set).where('id', '=', id).execute()
}

export async function deleteViewRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('saved_views').where('id', '=', id).execute()
}
