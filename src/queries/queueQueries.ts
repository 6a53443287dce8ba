import type { App } from '../app.ts'
import { ACTIVE_CATEGORIES } from '../domain/tickets.ts'
import type { AgentActor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { listDepartments } from '../repositories/directoryRepo.ts'
import { countTickets } from '../repositories/ticketRepo.ts'

export interface Queue {
  key: string
  name: string
  count: number
}

/** The agent's queues with their counts of active tickets, scoped by the same rule as the lists. */
export async function listQueues(app: App, agent: AgentActor): Promise<Queue[]> {
  const db = app.db.read
  const scope = ticketScope(agent)
  const statuses = app.statuses.keysIn(ACTIVE_CATEGORIES)
  const departments = (await listDepartments(db)).filter((d) => agent.roles.has(d.id))
  const [mine, open, unassigned, ...perDepartment] = await Promise.all([
    countTickets(db, scope, { statuses, assigneeAgentId: agent.id }),
    countTickets(db, scope, { statuses }),
    countTickets(db, scope, { statuses, unassigned: true }),
    ...departments.map((d) => countTickets(db, scope, { statuses, departmentId: d.id })),
  ])
  return [
    { key: 'mine', name: 'Mine', count: mine ?? 0 },
    { key: 'open', name: 'Open', count: open ?? 0 },
    { key: 'unassigned', name: 'Unassigned', count: unassigned ?? 0 },
    ...departments.map((d, i) => ({ key: `department:${d.id}`, name: d.name, count: perDepartment[i] ?? 0 })),
  ]
}
