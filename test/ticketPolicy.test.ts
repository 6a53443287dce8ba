import { describe, expect, it } from 'vitest'
import type { Permission } from '../src/domain/permissions.ts'
import type { AgentActor, CustomerActor } from '../src/policies/actor.ts'
import {
  agentCan,
  canSeeTicket,
  ticketAbilities,
  type TicketAccessFacts,
} from '../src/policies/ticketPolicy.ts'
import { ticketNotifications } from '../src/commands/ticketNotifications.ts'

const agent = (id: number, roles: [number, Permission[]][], extra: Partial<AgentActor> = {}): AgentActor => ({
  kind: 'agent',
  id,
  name: `Agent ${id}`,
  email: `a${id}@example.com`,
  isAdmin: false,
  primaryDepartmentId: roles[0]?.[0] ?? null,
  roles: new Map(roles.map(([d, p]) => [d, new Set(p)])),
  teamIds: [],
  ...extra,
})
const customer = (id: number): CustomerActor => ({
  kind: 'customer',
  id,
  name: 'C',
  email: 'c@example.com',
  organizationId: null,
})
const ticket = (extra: Partial<TicketAccessFacts> = {}): TicketAccessFacts => ({
  departmentId: 1,
  assigneeAgentId: null,
  assigneeTeamId: null,
  requesterId: 50,
  followedByActor: false,
  collaboratingActor: false,
  ...extra,
})

describe('ticket policy', () => {
  it('lets agents see their departments, their assignments, their teams and what they follow', () => {
    const a = agent(1, [[2, ['ticket.reply']]], { teamIds: [9] })
    expect(canSeeTicket(a, ticket())).toBe(false)
    expect(canSeeTicket(a, ticket({ departmentId: 2 }))).toBe(true)
    expect(canSeeTicket(a, ticket({ assigneeAgentId: 1 }))).toBe(true)
    expect(canSeeTicket(a, ticket({ assigneeTeamId: 9 }))).toBe(true)
    expect(canSeeTicket(a, ticket({ followedByActor: true }))).toBe(true)
  })

  it('lets customers see what they requested or collaborate on', () => {
    expect(canSeeTicket(customer(50), ticket())).toBe(true)
    expect(canSeeTicket(customer(51), ticket())).toBe(false)
    expect(canSeeTicket(customer(51), ticket({ collaboratingActor: true }))).toBe(true)
  })

  it('takes permissions from the role in the ticket department, else the primary role when assigned', () => {
    const a = agent(1, [[2, ['ticket.reply', 'ticket.close']]])
    expect(agentCan(a, 'ticket.reply', ticket({ departmentId: 2 }))).toBe(true)
    expect(agentCan(a, 'ticket.edit', ticket({ departmentId: 2 }))).toBe(false)
    expect(agentCan(a, 'ticket.close', ticket({ assigneeAgentId: 1 }))).toBe(true)
    // A follower reads and adds notes; nothing else.
    const followed = ticket({ followedByActor: true })
    expect(agentCan(a, 'ticket.reply', followed)).toBe(false)
    expect(ticketAbilities(a, followed)).toEqual({
      reply: false,
      note: true,
      edit: false,
      assign: false,
      transfer: false,
      close: false,
    })
  })
})

describe('ticket notifications', () => {
  const audience = {
    actorId: 1,
    actorName: 'Jane Doe',
    ticketId: 10,
    number: '100010',
    subject: 'Mail down',
    assigneeAgentId: 1,
    teamMemberIds: [],
    followerIds: [2, 1],
    newDepartmentAgentIds: [],
    requesterId: 50,
  }

  it('tells followers and the assignee, never the actor, and the requester only public news', () => {
    const rows = ticketNotifications(audience, [{ kind: 'note' }])
    expect(rows.map((r) => [r.userId, r.kind])).toEqual([[2, 'note']])
    const resolved = ticketNotifications(audience, [
      { kind: 'status', statusName: 'Resolved', finished: true },
    ])
    expect(resolved.map((r) => [r.userId, r.kind])).toEqual([
      [2, 'status'],
      [50, 'status'],
    ])
  })

  it('gives each person one notification per change, the most specific', () => {
    const rows = ticketNotifications({ ...audience, actorId: 3, assigneeAgentId: 2 }, [
      { kind: 'assigned' },
      { kind: 'note' },
    ])
    expect(rows.map((r) => [r.userId, r.kind])).toEqual([
      [2, 'assigned'],
      [1, 'note'],
    ])
  })

  it('tells the new department of an unassigned transfer', () => {
    const rows = ticketNotifications({ ...audience, assigneeAgentId: null, newDepartmentAgentIds: [7, 8] }, [
      { kind: 'transferred', departmentName: 'Billing' },
    ])
    expect(rows.map((r) => r.userId)).toEqual([7, 8])
    expect(rows[0]!.text).toContain('Billing')
  })
})
