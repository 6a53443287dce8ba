// Webhooks (issue 18): which webhook event kind a recorded event belongs to. The vocabulary (event kinds, the
// event types each carries, which are internal only) is defined once in src/shared/webhooks.ts, which the web
// app imports too.
import {
  INTERNAL_ONLY_EVENTS,
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from '../shared/webhooks.ts'
export { INTERNAL_ONLY_EVENTS, WEBHOOK_EVENT_NAMES, WEBHOOK_EVENTS, type WebhookEvent }

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
