// Who may see and do what on a ticket. One rule serves the detail view (canSeeTicket) and every list,
// count, search and notification (ticketScope): the scope is data, and the repository turns it into SQL.
import type { Permission } from '../domain/permissions.ts'
import type { Actor, AgentActor } from './actor.ts'

export type TicketScope =
  /** A customer sees the tickets they opened and those they are a collaborator on (copied by email). */
  | { kind: 'requester'; customerId: number }
  | {
      kind: 'agent'
      agentId: number
      departmentIds: number[]
      teamIds: number[]
      /** Tickets the agent follows are visible too (osTicket's referral). */
      followerId: number
    }

/** The fields of a ticket that access depends on. */
export interface TicketAccessFacts {
  departmentId: number
  assigneeAgentId: number | null
  assigneeTeamId: number | null
  requesterId: number
  /** Whether the actor follows the ticket (only meaningful for agents). */
  followedByActor: boolean
  /** Whether the actor is a collaborator on the ticket (only meaningful for customers). */
  collaboratingActor: boolean
}

export function ticketScope(actor: Actor): TicketScope {
  if (actor.kind === 'customer') return { kind: 'requester', customerId: actor.id }
  return {
    kind: 'agent',
    agentId: actor.id,
    departmentIds: [...actor.roles.keys()],
    teamIds: [...actor.teamIds],
    followerId: actor.id,
  }
}

/** The same rule as ticketScope, evaluated on one ticket. */
export function scopeIncludes(scope: TicketScope, t: TicketAccessFacts): boolean {
  switch (scope.kind) {
    case 'requester':
      return t.requesterId === scope.customerId || t.collaboratingActor === true
    case 'agent':
      return (
        scope.departmentIds.includes(t.departmentId) ||
        t.assigneeAgentId === scope.agentId ||
        (t.assigneeTeamId !== null && scope.teamIds.includes(t.assigneeTeamId)) ||
        t.followedByActor
      )
  }
}

export function canSeeTicket(actor: Actor, t: TicketAccessFacts): boolean {
  return scopeIncludes(ticketScope(actor), t)
}

/**
 * The permissions an agent holds on a ticket: their role in its department; failing that, their primary
 * role when the ticket is assigned to them or their team. A follower alone may read and add notes, nothing more.
 */
export function agentPermissions(agent: AgentActor, t: TicketAccessFacts): ReadonlySet<Permission> {
  const inDepartment = agent.roles.get(t.departmentId)
  if (inDepartment) return inDepartment
  const assigned =
    t.assigneeAgentId === agent.id || (t.assigneeTeamId !== null && agent.teamIds.includes(t.assigneeTeamId))
  if (assigned && agent.primaryDepartmentId !== null)
    return agent.roles.get(agent.primaryDepartmentId) ?? NONE
  return NONE
}
const NONE: ReadonlySet<Permission> = new Set()

export function agentCan(agent: AgentActor, permission: Permission, t: TicketAccessFacts): boolean {
  return canSeeTicket(agent, t) && agentPermissions(agent, t).has(permission)
}

/** May the agent open a ticket in this department? */
export function canCreateIn(agent: AgentActor, departmentId: number): boolean {
  return agent.roles.get(departmentId)?.has('ticket.create') ?? false
}

/** An agent can be given a ticket only in a department where they hold a role (osTicket: members only). */
export function canBeAssignedIn(
  assignee: { departmentIds: readonly number[] },
  departmentId: number,
): boolean {
  return assignee.departmentIds.includes(departmentId)
}

/** The actions the web app may offer on a ticket, so it can hide what would be refused. */
export function ticketAbilities(actor: Actor, t: TicketAccessFacts) {
  if (actor.kind === 'customer') {
    return { reply: true, note: false, edit: false, assign: false, transfer: false, close: false }
  }
  const p = agentPermissions(actor, t)
  return {
    reply: p.has('ticket.reply'),
    note: canSeeTicket(actor, t),
    edit: p.has('ticket.edit'),
    assign: p.has('ticket.assign'),
    transfer: p.has('ticket.transfer'),
    close: p.has('ticket.close'),
  }
}

/**
 * The history a customer sees beside the public replies: what happened to their request's status, nothing
 * of the agents' own filing (priority, assignment, tags, notes, SLA). Filtered in the query, and each event
 * reduced to its status (see presentTicketEvents), so nothing else of an event reaches a customer.
 */
export const CUSTOMER_EVENT_TYPES = ['ticket.status_changed', 'ticket.reopened'] as const

/** Which ticket events the actor may read: every one for agents, the customer's kinds otherwise. */
export function visibleEventTypes(actor: Actor): readonly string[] | undefined {
  return actor.kind === 'agent' ? undefined : CUSTOMER_EVENT_TYPES
}
