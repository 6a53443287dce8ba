import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function listTeams(db: Kysely<DB>) {
  return db.selectFrom('teams').select(['id', 'name']).where('is_active', '=', 1).orderBy('name').execute()
}

export async function listDepartments(db: Kysely<DB>) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'parent_id'])
    .where('is_active', '=', 1)
    .orderBy('name')
    .execute()
}

export async function findDepartment(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function findDepartmentByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('departments').select(['id', 'name']).where('name', '=', name).executeTakeFirst()
}

export async function findTeam(db: Kysely<DB>, id: number) {
  return db.selectFrom('teams').select(['id', 'name', 'is_active']).where('id', '=', id).executeTakeFirst()
}

export async function teamMemberIds(db: Kysely<DB>, teamId: number): Promise<number[]> {
  const rows = await db.selectFrom('team_members').select('agent_id').where('team_id', '=', teamId).execute()
  return rows.map((r) => r.agent_id)
}

export async function listStatuses(db: Kysely<DB>) {
  return db
    .selectFrom('ticket_statuses')
    .select(['key', 'name', 'category', 'position'])
    .orderBy('key')
    .execute()
}
