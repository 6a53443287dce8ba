// Read use cases of the admin console. Each list is a fixed number of queries, whatever its length.
import { z } from 'zod'
import type { App } from '../app.ts'
import { text } from '../commands/fields.ts'
import { badRequest } from '../errors.ts'
import {
  listAgents,
  listAllTeams,
  listCustomers,
  membersOfTeams,
  membershipsOf,
} from '../repositories/adminRepo.ts'

export async function teamsWithMembers(app: App) {
  const teams = await listAllTeams(app.db.read)
  const members = await membersOfTeams(
    app.db.read,
    teams.map((t) => t.id),
  )
  const byTeam = new Map<number, typeof members>()
  for (const m of members) byTeam.set(m.team_id, [...(byTeam.get(m.team_id) ?? []), m])
  return teams.map((team) => ({ team, members: byTeam.get(team.id) ?? [] }))
}

export async function agentsWithMemberships(app: App) {
  const agents = await listAgents(app.db.read)
  const memberships = await membershipsOf(
    app.db.read,
    agents.map((a) => a.id),
  )
  const byAgent = new Map<number, typeof memberships>()
  for (const m of memberships) byAgent.set(m.agent_id, [...(byAgent.get(m.agent_id) ?? []), m])
  return agents.map((agent) => ({ agent, memberships: byAgent.get(agent.id) ?? [] }))
}

export const ListCustomers = z.object({
  q: text(100, { min: 0 }).optional().describe('Matches the start of the name or email'),
  cursor: text(600).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type ListCustomers = z.infer<typeof ListCustomers>

const Cursor = z.tuple([z.string(), z.number().int()])

function decodeCursor(cursor: string): { name: string; id: number } {
  try {
    const [name, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    return { name, id }
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this server gave out; start again without it.')
  }
}

export async function customerPage(app: App, input: ListCustomers) {
  const rows = await listCustomers(app.db.read, {
    q: input.q,
    after: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
    limit: input.limit + 1,
  })
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > input.limit && last
      ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url')
      : null
  return { rows: page, nextCursor }
}
