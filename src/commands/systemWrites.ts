// Events, notifications and the realtime row for changes made by the system itself (sweeps, escalations):
// the same records as a person's change, with no actor.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { RealtimeMessage } from '../realtime/bus.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { insertNotifications, type NewNotification } from '../repositories/notificationRepo.ts'
import { enqueueMany } from '../repositories/outboxRepo.ts'
import type { Change } from './ticketWrites.ts'
import { WEBHOOK_FANOUT_TOPIC, type WebhookFanout } from '../domain/webhooks.ts'

export interface SystemChangeSet {
  ticket: { id: number; number: string }
  changes: Change[]
  notifications: NewNotification[]
}

export async function recordSystemChanges(
  trx: Kysely<DB>,
  ticket: { id: number; number: string },
  changes: Change[],
  notifications: NewNotification[],
  at: number,
): Promise<void> {
  await recordSystemChangeSets(trx, [{ ticket, changes, notifications }], at)
}

/** The same for many tickets at once: three multi-row inserts, however many tickets a sweep batch holds. */
export async function recordSystemChangeSets(
  trx: Kysely<DB>,
  sets: SystemChangeSet[],
  at: number,
): Promise<void> {
  const withChanges = sets.filter((s) => s.changes.length > 0)
  if (withChanges.length === 0) return
  const eventIds = await insertEvents(
    trx,
    withChanges.flatMap((s) =>
      s.changes.map((c) => ({
        ticketId: s.ticket.id,
        actorId: null,
        type: c.type,
        channel: 'system' as const,
        before: c.before ?? null,
        after: c.after ?? null,
        at,
      })),
    ),
    undefined,
  )
  // One notification per person and kind on a ticket, even when an escalation and a breach name them both.
  const seen = new Set<string>()
  const unique = withChanges
    .flatMap((s) => s.notifications)
    .filter((n) => {
      const key = `${n.ticketId}:${n.userId}:${n.kind}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  await insertNotifications(trx, unique, at)
  let next = 0
  const messages: RealtimeMessage[] = withChanges.map((s) => {
    const ids = eventIds.slice(next, next + s.changes.length)
    next += s.changes.length
    return {
      type: s.changes[0]!.type,
      ticketId: s.ticket.id,
      ticketNumber: s.ticket.number,
      eventIds: ids,
      actorId: null,
      at,
    }
  })
  await enqueueMany(trx, 'realtime', messages, at)
  await enqueueMany(
    trx,
    WEBHOOK_FANOUT_TOPIC,
    messages.map((m): WebhookFanout => ({ ticketId: m.ticketId, eventIds: m.eventIds })),
    at,
  )
}
