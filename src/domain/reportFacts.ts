// What a ticket's events say for reports, worked out once per ticket: when it was first answered and by whom,
// when it was resolved, how often it came back, and each agent's part (assigned, replies, resolved, handle
// time). Pure: the report-facts job (src/jobs/reportFacts.ts) feeds it the events and stores the result.
import { countedTimeBetween, type Calendar } from './businessTime.ts'
import type { SlaClock } from './slaClock.ts'
import { isFinished, type StatusCategory } from './tickets.ts'

export interface FactEvent {
  id: number
  type: string
  actorId: number | null
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  at: number
}

export interface TicketFacts {
  createdAt: number
  firstResponseAt: number | null
  firstResponderId: number | null
  firstResponseMs: number | null
  firstResponseBusinessMs: number | null
  resolvedAt: number | null
  resolverId: number | null
  resolutionMs: number | null
  resolutionBusinessMs: number | null
  reopenCount: number
  lastReopenedAt: number | null
  responses: number
  sla: {
    firstDueAt: number | null
    firstMetAt: number | null
    nextDueAt: number | null
    nextMetAt: number | null
    resolutionDueAt: number | null
    resolutionMetAt: number | null
  }
  lastEventId: number
}

export interface AgentFacts {
  agentId: number
  assignedAt: number | null
  firstReplyAt: number | null
  replies: number
  resolvedAt: number | null
  handleMs: number
}

/** The events whose type changes a fact; the job reads only these. */
export const FACT_EVENT_TYPES = [
  'ticket.created',
  'response.added',
  'ticket.status_changed',
  'ticket.reopened',
  'ticket.unsnoozed',
  'ticket.assigned',
  'ticket.released',
] as const

export interface FactInput {
  createdAt: number
  /** The ticket's events, oldest first (any types; the others are passed over). */
  events: readonly FactEvent[]
  categoryOf: (status: string) => StatusCategory
  /** The ticket's SLA schedule as a calendar (24x7 when its plan has none, or it has no plan). */
  calendar: Calendar
  slaClock: SlaClock | null
  /** Whether a user id is an agent's (a customer never gives a first response). */
  isAgent: (userId: number) => boolean
}

export function ticketFacts(input: FactInput): { ticket: TicketFacts; agents: AgentFacts[] } {
  const { createdAt, calendar } = input
  let firstResponseAt: number | null = null
  let firstResponderId: number | null = null
  let resolvedAt: number | null = null
  let resolverId: number | null = null
  let reopenCount = 0
  let lastReopenedAt: number | null = null
  let responses = 0
  let finished = false
  let assignee: number | null = null
  /** Since when the current assignee holds the ticket while it is being worked on (null: not counting). */
  let holdingSince: number | null = null
  let lastEventId = 0
  const agents = new Map<number, AgentFacts>()
  const agent = (id: number): AgentFacts => {
    let a = agents.get(id)
    if (!a) {
      a = { agentId: id, assignedAt: null, firstReplyAt: null, replies: 0, resolvedAt: null, handleMs: 0 }
      agents.set(id, a)
    }
    return a
  }
  const stopHolding = (at: number) => {
    if (assignee !== null && holdingSince !== null) agent(assignee).handleMs += Math.max(0, at - holdingSince)
    holdingSince = null
  }

  for (const e of input.events) {
    lastEventId = Math.max(lastEventId, e.id)
    switch (e.type) {
      case 'ticket.created': {
        const status = e.after?.status
        finished = typeof status === 'string' && isFinished(input.categoryOf(status))
        break
      }
      case 'response.added': {
        if (e.actorId === null || !input.isAgent(e.actorId)) break
        responses++
        if (firstResponseAt === null) {
          firstResponseAt = e.at
          firstResponderId = e.actorId
        }
        const a = agent(e.actorId)
        a.replies++
        a.firstReplyAt ??= e.at
        break
      }
      case 'ticket.status_changed':
      case 'ticket.reopened':
      case 'ticket.unsnoozed': {
        const status = e.after?.status
        if (typeof status !== 'string') break
        const nowFinished = isFinished(input.categoryOf(status))
        if (nowFinished && !finished) {
          resolvedAt = e.at
          resolverId = e.actorId
          if (e.actorId !== null && input.isAgent(e.actorId)) agent(e.actorId).resolvedAt = e.at
          stopHolding(e.at)
        } else if (!nowFinished && finished) {
          reopenCount++
          lastReopenedAt = e.at
          resolvedAt = null
          resolverId = null
          if (assignee !== null) holdingSince = e.at
        }
        finished = nowFinished
        break
      }
      case 'ticket.assigned':
      case 'ticket.released': {
        const next = e.after?.assigneeAgentId
        stopHolding(e.at)
        assignee = typeof next === 'number' ? next : null
        if (assignee !== null) {
          agent(assignee).assignedAt ??= e.at
          if (!finished) holdingSince = e.at
        }
        break
      }
    }
  }
  const clock = input.slaClock?.targets
  const since = (at: number | null) => (at === null ? null : Math.max(0, at - createdAt))
  const business = (at: number | null) => (at === null ? null : countedTimeBetween(calendar, createdAt, at))
  return {
    ticket: {
      createdAt,
      firstResponseAt,
      firstResponderId,
      firstResponseMs: since(firstResponseAt),
      firstResponseBusinessMs: business(firstResponseAt),
      resolvedAt,
      resolverId,
      resolutionMs: since(resolvedAt),
      resolutionBusinessMs: business(resolvedAt),
      reopenCount,
      lastReopenedAt,
      responses,
      sla: {
        firstDueAt: clock?.first_response?.dueAt ?? null,
        firstMetAt: clock?.first_response?.metAt ?? null,
        nextDueAt: clock?.next_response?.dueAt ?? null,
        nextMetAt: clock?.next_response?.metAt ?? null,
        resolutionDueAt: clock?.resolution?.dueAt ?? null,
        resolutionMetAt: clock?.resolution?.metAt ?? null,
      },
      lastEventId,
    },
    // A stretch still running (assigned, not yet resolved) is counted once it ends: facts never depend on when
    // the job ran.
    agents: [...agents.values()],
  }
}

/**
 * The nearest-rank percentile (`p` in 0–100) of values sorted ascending: the smallest value with at least p%
 * of the values at or below it. The median of 1, 2, 3, 4 is 2; its 90th percentile is 4.
 */
export function nearestRankIndex(n: number, p: number): number {
  return Math.max(1, Math.ceil((p * n) / 100)) - 1
}
