// Events, notifications and the realtime row for changes made by the system itself (sweeps, escalations):
// the same records as a person's change, with no actor.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { RealtimeMessage } from '../realtime/bus.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { insertNotifications, type NewNotification } from '../repositories/notificationRepo.ts'
import { enqueue } from '../repositories/outboxRepo.ts'
import type { Change } from './ticketWrites.ts'

export async function recordSystemChanges(
  trx: Kysely<DB>,
  ticket: { id: number; number: string },
  changes: Change[],
  notifications: NewNotification[],
  at: number,
): Promise<void> {
  if (changes.length === 0) return
  const eventIds = await insertEvents(
    trx,
    changes.map((c) => ({
      ticketId: ticket.id,
      actorId: null,
      type: c.type,
      channel: 'system' as const,
      before: c.before ?? null,
      after: c.after ?? null,
      at,
    })),
  )
  // One notification per person, even when an escalation and a breach name them both.
  const seen = new Set<string>()
  const unique = notifications.filter((n) => {
    const key = `${n.userId}:${n.kind}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  await insertNotifications(trx, unique, at)
  const message: RealtimeMessage = {
    type: changes[0]!.type,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    eventIds,
    actorId: null,
    at,
  }
  await enqueue(trx, 'realtime', message, at)
}
