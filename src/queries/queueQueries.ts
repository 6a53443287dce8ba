// The agent's queues with their counts: the built-in ones, one per department, Following, and every saved view.
//
// Counts come from ticket_counts (kept by triggers, see migration 0011), never from counting tickets: one query
// reads the groups of the agent's departments, assignments and teams, one more the groups of the tickets they
// follow, and each queue's count is a sum over those groups in memory. A view that filters on something the
// groups do not hold (requester, organisation, tag, dates) is counted among the newest COUNT_WINDOW tickets, up
// to COUNT_CAP; countCapped then says "at least this many" (shown as "1,000+").
import type { App } from '../app.ts'
import type { AgentActor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { listDepartments } from '../repositories/directoryRepo.ts'
import {
  COUNTED_CONDITIONS,
  countGroupsInScope,
  countTicketsCapped,
  followedGroups,
  groupMatches,
  type CountGroup,
  type TicketConditions,
} from '../repositories/ticketRepo.ts'
import { queueConditions } from './ticketQueries.ts'
import { listViews } from './viewQueries.ts'
import type { BuiltInView, QueueFilters } from '../domain/queueFilters.ts'

export interface Queue {
  key: string
  name: string
  count: number
  /** The count stopped at COUNT_CAP: there are at least that many. */
  countCapped?: boolean
  viewId?: number
  shared?: boolean
}

export const COUNT_CAP = 1000
/** Views counted through the list's indexes read at most the newest this many tickets. */
export const COUNT_WINDOW = 20_000

export async function listQueues(app: App, agent: AgentActor): Promise<Queue[]> {
  const db = app.db.read
  const scope = ticketScope(agent)
  const departmentIds = [...agent.roles.keys()]
  const [groups, followed, allDepartments, views] = await Promise.all([
    countGroupsInScope(db, { agentId: agent.id, departmentIds, teamIds: [...agent.teamIds] }),
    followedGroups(db, agent.id),
    listDepartments(db),
    listViews(app, agent),
  ])
  const throughScope = (g: CountGroup) =>
    agent.roles.has(g.departmentId) ||
    g.assigneeAgentId === agent.id ||
    (g.assigneeTeamId !== null && agent.teamIds.includes(g.assigneeTeamId))
  // Followed tickets the agent sees only because they follow them (the others are in `groups` already).
  const followedOnly = followed.filter((g) => !throughScope(g))

  const count = async (conditions: TicketConditions[]): Promise<Pick<Queue, 'count' | 'countCapped'>> => {
    const counted = conditions.every((c) =>
      (Object.keys(c) as (keyof TicketConditions)[]).every(
        (k) => c[k] === undefined || COUNTED_CONDITIONS.has(k),
      ),
    )
    if (counted) {
      const following = conditions.some((c) => c.followedBy !== undefined)
      const pool = following ? followed : [...groups, ...followedOnly]
      return { count: pool.reduce((n, g) => (conditions.every((c) => groupMatches(c, g)) ? n + g.n : n), 0) }
    }
    const { n, complete } = await countTicketsCapped(app.db.dialect, app.db.heavyRead, scope, conditions, {
      cap: COUNT_CAP,
      window: COUNT_WINDOW,
    })
    return complete ? { count: n } : { count: n, countCapped: true }
  }
  const of = (view: BuiltInView, filters: QueueFilters = {}) =>
    count(queueConditions(app, agent, view, filters))

  const departments = allDepartments.filter((d) => agent.roles.has(d.id))
  const builtIn: [string, string, BuiltInView][] = [
    ['mine', 'Mine', 'mine'],
    ['open', 'Open', 'open'],
    ['unassigned', 'Unassigned', 'unassigned'],
  ]
  const queues: Queue[] = []
  for (const [key, name, view] of builtIn) queues.push({ key, name, ...(await of(view)) })
  for (const d of departments)
    queues.push({ key: `department:${d.id}`, name: d.name, ...(await of('open', { departmentId: [d.id] })) })
  queues.push({ key: 'following', name: 'Following', ...(await of('following')) })
  for (const v of views)
    queues.push({
      key: `view:${v.id}`,
      name: v.name,
      ...(await of('all', v.filters)),
      viewId: v.id,
      shared: v.shared,
    })
  return queues
}
