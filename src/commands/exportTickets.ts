// Exporting tickets as CSV (issue 16) is recorded in the audit log before the first row is sent: who exported,
// through which channel, with which filters.
import type { App } from '../app.ts'
import { storedFilters, type QueueFilters } from '../domain/queueFilters.ts'
import type { AgentActor } from '../policies/actor.ts'
import { insertEvents, type Channel } from '../repositories/eventRepo.ts'

export const TICKETS_EXPORTED = 'report.tickets_exported'

export async function recordTicketExport(
  app: App,
  actor: AgentActor,
  filters: QueueFilters,
  meta: { channel: Channel; format: 'csv' },
): Promise<void> {
  await app.db.transact(async (trx) => {
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: actor.id,
          type: TICKETS_EXPORTED,
          channel: meta.channel,
          after: { format: meta.format, filters: storedFilters(filters) },
          at: app.clock.now(),
        },
      ],
      actor.origin,
    )
  })
}
