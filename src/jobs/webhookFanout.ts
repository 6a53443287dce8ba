// Turns the events of one committed change into webhook deliveries (outbox topic `webhooks`): one row per
// event and subscribed webhook, written once however often the outbox hands us the same change.
import type { App } from '../app.ts'
import { webhookEventOf, type WebhookFanout } from '../domain/webhooks.ts'
import { webhookPayload, type PayloadEntry } from '../presenters/webhookPresenter.ts'
import { findTicketById } from '../repositories/ticketRepo.ts'
import {
  activeWebhookRows,
  entryForFanout,
  eventsForFanout,
  insertDeliveries,
  type NewDelivery,
} from '../repositories/webhookRepo.ts'

export async function fanOutWebhooks(app: App, job: WebhookFanout, onQueued?: () => void): Promise<void> {
  const hooks = await activeWebhookRows(app.db.read)
  if (hooks.length === 0) return
  const events = (await eventsForFanout(app.db.read, job.eventIds)).filter((e) => webhookEventOf(e.type))
  if (events.length === 0) return
  // The ticket as it is now: the state a receiver acts on, after every change of this commit.
  const ticket = await findTicketById(app.db.read, job.ticketId)
  if (!ticket) return
  const at = app.clock.now()
  const rows: NewDelivery[] = []
  for (const event of events) {
    const kind = webhookEventOf(event.type)!
    const entryId =
      event.type.endsWith('.added') && event.after
        ? (JSON.parse(event.after) as { entryId?: unknown }).entryId
        : undefined
    const entry: PayloadEntry | undefined =
      typeof entryId === 'number' ? await entryForFanout(app.db.read, entryId) : undefined
    for (const hook of hooks) {
      if (!(JSON.parse(hook.events) as string[]).includes(kind)) continue
      const payload = webhookPayload({
        kind,
        internal: hook.internal === 1,
        event: event,
        ticket,
        entry,
        publicUrl: app.config.mail.publicUrl,
      })
      if (!payload) continue
      rows.push({
        webhookId: hook.id,
        eventId: event.id,
        ticketId: job.ticketId,
        event: kind,
        payload: JSON.stringify(payload),
        at,
      })
    }
  }
  if (rows.length === 0) return
  await app.db.transact((trx) => insertDeliveries(trx, rows))
  onQueued?.()
}
