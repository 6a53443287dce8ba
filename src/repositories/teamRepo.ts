// Teams and their members.
import type { Kysely, Updateable } from 'kysely'
import type { DB, TeamTable } from '../db/schema.ts'

export async function listAllTeams(db: Kysely<DB>) {
  return db.selectFrom('teams').select(['id', 'name', 'is_active']).orderBy('name').orderBy('id').execute()
}

export async function teamById(db: Kysely<DB>, id: number) {
  return db.selectFrom('teams').select(['id', 'name', 'is_active']).where('id', '=', id).executeTakeFirst()
}

export async function teamIdByName(db: Kysely<DB>, name: string) {
  const row = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

export async function membersOfTeams(db: Kysely<DB>, teamIds: number[]) {
  if (teamIds.length === 0) return []
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.agent_id')
    .select(['m.team_id', 'u.id', 'u.name'])
    .where('m.team_id', 'in', teamIds)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
}

export async function replaceTeamMembers(db: Kysely<DB>, teamId: number, agentIds: number[]) {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute()
  if (agentIds.length > 0) {
    await db
      .insertInto('team_members')
      .values(agentIds.map((agent_id) => ({ team_id: teamId, agent_id })))
      .execute()
  }
}

export async function insertTeam(
  db: Kysely<DB>,
  values: { name: string; created_at: number },
): Promise<number> {
  const row = await db.insertInto('teams').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateTeamRow(db: Kysely<DB>, id: number, set: Updateable<TeamTable>) {
  await db.updateTable('teams').set(set).where('id', '=', id).execute()
}
