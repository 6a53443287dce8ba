// Who may see and change a saved view. Personal views are their owner's alone; shared views are seen by the
// agents of their department (or every agent) and changed by admins and by agents who hold `view.share` there.
import type { AgentActor } from './actor.ts'

export interface ViewFacts {
  ownerAgentId: number | null
  shared: boolean
  departmentId: number | null
}

export function canSeeView(agent: AgentActor, v: ViewFacts): boolean {
  if (!v.shared) return v.ownerAgentId === agent.id
  return v.departmentId === null || agent.isAdmin || agent.roles.has(v.departmentId)
}

/** May the agent share views with this department (null: with every agent)? */
export function canShareWith(agent: AgentActor, departmentId: number | null): boolean {
  if (agent.isAdmin) return true
  if (departmentId !== null) return agent.roles.get(departmentId)?.has('view.share') ?? false
  return [...agent.roles.values()].some((permissions) => permissions.has('view.share'))
}

export function canEditView(agent: AgentActor, v: ViewFacts): boolean {
  if (!canSeeView(agent, v)) return false
  return v.shared ? canShareWith(agent, v.departmentId) : v.ownerAgentId === agent.id
}
