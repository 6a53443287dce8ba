// The webhook vocabulary (issue 18), shared by the server and the web app: which event kinds a webhook can
// subscribe to, and which recorded event types each kind carries.
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

const kindOfType = new Map<string, WebhookEvent>(
  Object.entries(WEBHOOK_EVENTS).flatMap(([kind, types]) =>
    types.map((t) => [t, kind as WebhookEvent] as const),
  ),
)

/** The webhook event kind a recorded event belongs to, or undefined when webhooks never carry it. */
export function webhookEventOf(eventType: string): WebhookEvent | undefined {
  return kindOfType.get(eventType)
}

/** The outbox topic of a committed change's events, which the worker turns into webhook deliveries. */
export const WEBHOOK_FANOUT_TOPIC = 'webhooks'

export interface WebhookFanout {
  ticketId: number
  eventIds: number[]
}
