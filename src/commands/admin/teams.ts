// Teams: groups of agents that tickets can be assigned to, across departments.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { existingAgentIds } from '../../repositories/peopleRepo.ts'
import {
  insertTeam,
  listAllTeams,
  membersOfTeams,
  replaceTeamMembers,
  teamById,
  teamIdByName,
  updateTeamRow,
} from '../../repositories/teamRepo.ts'
import { id, nonBlank } from '../fields.ts'
import {
  alreadyExists,
  changedFields,
  guardUnique,
  recordAdminEvent,
  requireAdmin,
  type AdminMeta,
} from './adminWrites.ts'

const MemberIds = z.array(id).max(500)

export const CreateTeam = z.object({ name: nonBlank(120), memberIds: MemberIds.optional() })
export type CreateTeam = z.infer<typeof CreateTeam>

export const UpdateTeam = z.object({
  name: nonBlank(120).optional(),
  isActive: z.boolean().optional(),
  memberIds: MemberIds.optional(),
})
export type UpdateTeam = z.infer<typeof UpdateTeam>

async function checkedMembers(trx: Kysely<DB>, memberIds: number[]): Promise<number[]> {
  const unique = [...new Set(memberIds)].sort((a, b) => a - b)
  const agents = await existingAgentIds(trx, unique)
  const missing = unique.filter((m) => !agents.has(m))
  if (missing.length > 0) throw badRequest('unknown_agent', `No agent with id ${missing.join(', ')}.`)
  return unique
}

async function loadTeam(trx: Kysely<DB>, teamId: number) {
  const team = await teamById(trx, teamId)
  if (!team) throw notFound('team')
  return { team, members: await membersOfTeams(trx, [teamId]) }
}

export type TeamWithMembers = Awaited<ReturnType<typeof loadTeam>>

export async function createTeam(
  app: App,
  actor: Actor,
  input: CreateTeam,
  meta: AdminMeta,
): Promise<TeamWithMembers> {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return guardUnique('team', 'name', () =>
    app.db.transact(async (trx) => {
      if ((await teamIdByName(trx, input.name)) !== undefined) throw alreadyExists('team', 'name')
      const memberIds = await checkedMembers(trx, input.memberIds ?? [])
      const teamId = await insertTeam(trx, { name: input.name, created_at: at })
      await replaceTeamMembers(trx, teamId, memberIds)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.team.created',
        meta,
        before: null,
        after: { id: teamId, name: input.name, memberIds },
        at,
      })
      return loadTeam(trx, teamId)
    }),
  )
}

export async function updateTeam(
  app: App,
  actor: Actor,
  teamId: number,
  input: UpdateTeam,
  meta: AdminMeta,
): Promise<TeamWithMembers> {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return guardUnique('team', 'name', () =>
    app.db.transact(async (trx) => {
      const current = await loadTeam(trx, teamId)
      if (input.name !== undefined && input.name !== current.team.name) {
        if ((await teamIdByName(trx, input.name)) !== undefined) throw alreadyExists('team', 'name')
      }
      const memberIds = input.memberIds === undefined ? undefined : await checkedMembers(trx, input.memberIds)
      const change = changedFields(
        {
          name: current.team.name,
          isActive: current.team.is_active === 1,
          memberIds: current.members.map((m) => m.id).sort((a, b) => a - b),
        },
        { name: input.name, isActive: input.isActive, memberIds },
      )
      if (!change) return current
      if (input.name !== undefined || input.isActive !== undefined) {
        await updateTeamRow(trx, teamId, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
        })
      }
      if (memberIds !== undefined) await replaceTeamMembers(trx, teamId, memberIds)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.team.updated',
        meta,
        before: { id: teamId, ...change.before },
        after: { id: teamId, ...change.after },
        at,
      })
      return loadTeam(trx, teamId)
    }),
  )
}

/** Every team with its members: two queries, whatever the number of teams. */
export async function teams(app: App, actor: Actor): Promise<TeamWithMembers[]> {
  requireAdmin(actor)
  const all = await listAllTeams(app.db.read)
  const members = await membersOfTeams(
    app.db.read,
    all.map((t) => t.id),
  )
  const byTeam = new Map<number, typeof members>()
  for (const m of members) byTeam.set(m.team_id, [...(byTeam.get(m.team_id) ?? []), m])
  return all.map((team) => ({ team, members: byTeam.get(team.id) ?? [] }))
}
