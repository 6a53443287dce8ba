// The webhook vocabulary (issue 18): which event kinds a webhook can subscribe to, which recorded event types
// each kind carries, and the names the admin console shows. src/shared/ files import nothing (the web app
// bundles them too).

/** Event kinds a webhook subscribes to, each from the event types the ticket commands and sweeps record. */
export const WEBHOOK_EVENTS = {
  'ticket.created': ['ticket.created'],
  'ticket.updated': [
    'ticket.subject_changed',
    'ticket.priority_changed',
    'ticket.fields_changed',
    'ticket.tagged',
    'ticket.untagged',
    'ticket.snoozed',
    'ticket.unsnoozed',
    'ticket.macro_applied',
    'sla.plan_changed',
    'collaborators.added',
    'collaborators.removed',
  ],
  'ticket.assigned': ['ticket.assigned', 'ticket.released', 'ticket.team_assigned'],
  'ticket.transferred': ['ticket.transferred'],
  'ticket.status_changed': ['ticket.status_changed', 'ticket.reopened'],
  /** A customer's message or an agent's public reply. */
  'message.added': ['message.added', 'response.added'],
  /** Internal notes: delivered to internal webhooks only. */
  'note.added': ['note.added'],
  /** SLA clocks are agent-only (customers never see them): internal webhooks only. */
  'sla.at_risk': ['sla.at_risk'],
  'sla.breached': ['sla.breached'],
  /** A requester answered (or changed) a satisfaction survey. */
  'csat.answered': ['satisfaction.rated'],
} as const satisfies Record<string, readonly string[]>

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]]
/** Kinds that carry what only agents may see. */
export const INTERNAL_ONLY_EVENTS: ReadonlySet<WebhookEvent> = new Set([
  'note.added',
  'sla.at_risk',
  'sla.breached',
])

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'ticket.created': 'Ticket created',
  'ticket.updated': 'Ticket updated',
  'ticket.assigned': 'Ticket assigned',
  'ticket.transferred': 'Ticket transferred',
  'ticket.status_changed': 'Status changed',
  'message.added': 'Message or reply added',
  'note.added': 'Internal note added',
  'sla.at_risk': 'SLA at risk',
  'sla.breached': 'SLA breached',
  'csat.answered': 'Satisfaction survey answered',
}

/** A delivery waits for its next attempt, or has finished one way or the other. */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
