// Webhook shapes: the admin API's (the secret is never among them) and the JSON a receiver gets. Fields are
// listed one by one; a payload for a customer-facing integration carries only what the customer could see.
import { z } from 'zod'
import { INTERNAL_ONLY_EVENTS, type WebhookEvent } from '../domain/webhooks.ts'
import { DELIVERY_STATUSES } from '../shared/webhooks.ts'
import type { DeliveryRow, WebhookRow } from '../repositories/webhookRepo.ts'
import type { TicketListRow } from '../repositories/ticketRepo.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export const WebhookOut = z.object({
  id: z.number(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  internal: z.boolean(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export function presentWebhook(r: WebhookRow): z.infer<typeof WebhookOut> {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    active: r.active === 1,
    internal: r.internal === 1,
    description: r.description,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  }
}

export const DeliveryOut = z.object({
  id: z.number(),
  webhookId: z.number(),
  event: z.string(),
  ticketNumber: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  responseStatus: z.number().nullable(),
  /** The first bytes of the receiver's answer (at most 1 KB). */
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
})
export function presentDelivery(r: DeliveryRow): z.infer<typeof DeliveryOut> {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    ticketNumber: r.ticket_number,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    lastAttemptAt: iso(r.last_attempt_at),
    responseStatus: r.response_status,
    responseExcerpt: r.response_excerpt,
    error: r.last_error,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
  }
}

export interface PayloadEvent {
  id: number
  type: string
  channel: string
  before: string | null
  after: string | null
  created_at: number
  actor_id: number | null
  actor_name: string | null
  actor_type: 'agent' | 'customer' | null
}

export interface PayloadEntry {
  id: number
  kind: 'message' | 'response' | 'note'
  body: string
  created_at: number
  author_name: string
  author_type: 'agent' | 'customer'
}

// Of a change's before/after, what a customer-facing integration may see: fields the portal shows, or plain
// facts about the ticket. Custom field values, tags, SLA and escalation details go to internal webhooks only.
const PUBLIC_CHANGE_FIELDS = new Set([
  'status',
  'priority',
  'subject',
  'departmentId',
  'assigneeAgentId',
  'assigneeTeamId',
  'followUpOf',
  'entryId',
  // A satisfaction answer (csat.answered) is the customer's own.
  'rating',
  'comment',
])

function changeFor(json: string | null, internal: boolean): Record<string, unknown> | null {
  if (json === null) return null
  const all = JSON.parse(json) as Record<string, unknown>
  if (internal) return all
  return Object.fromEntries(Object.entries(all).filter(([k]) => PUBLIC_CHANGE_FIELDS.has(k)))
}

/** The JSON body of one delivery. Undefined when this webhook may not receive it (a note, for a public one). */
export function webhookPayload(input: {
  kind: WebhookEvent
  internal: boolean
  event: PayloadEvent
  ticket: TicketListRow
  entry: PayloadEntry | undefined
  publicUrl: string
}): Record<string, unknown> | undefined {
  const { kind, internal, event, ticket, entry } = input
  if (!internal && (INTERNAL_ONLY_EVENTS.has(kind) || entry?.kind === 'note')) return undefined
  return {
    event: kind,
    eventId: event.id,
    type: event.type,
    occurredAt: iso(event.created_at),
    channel: event.channel,
    actor:
      event.actor_id === null ? null : { id: event.actor_id, name: event.actor_name, kind: event.actor_type },
    change: { before: changeFor(event.before, internal), after: changeFor(event.after, internal) },
    ticket: {
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      department: { id: ticket.department_id, name: ticket.department_name },
      assignee:
        ticket.assignee_agent_id === null
          ? null
          : { id: ticket.assignee_agent_id, name: ticket.assignee_agent_name },
      team:
        ticket.assignee_team_id === null
          ? null
          : { id: ticket.assignee_team_id, name: ticket.assignee_team_name },
      requester: { id: ticket.requester_id, name: ticket.requester_name, email: ticket.requester_email },
      source: ticket.source,
      createdAt: iso(ticket.created_at),
      updatedAt: iso(ticket.updated_at),
      closedAt: iso(ticket.closed_at),
      // The agent view for agent-side tools, the portal's for customer-facing ones.
      url: `${input.publicUrl}/${internal ? 'agent' : 'portal'}/tickets/${ticket.number}`,
      ...(internal ? { tags: ticket.tags, slaState: ticket.sla_state } : {}),
    },
    ...(entry
      ? {
          entry: {
            id: entry.id,
            kind: entry.kind,
            body: entry.body,
            author: { name: entry.author_name, kind: entry.author_type },
            createdAt: iso(entry.created_at),
          },
        }
      : {}),
  }
}
