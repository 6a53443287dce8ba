// Sweeps over stored times that move tickets between statuses: snoozed tickets return to open when their
// time comes, and tickets resolved for N days (setting auto_close_days, 7 by default) are closed.
// Both read an index, work in batches and change each ticket in one transaction with its events.
import type { App } from '../app.ts'
import { recordSystemChanges } from '../commands/systemWrites.ts'
import { runAutomation } from '../commands/ticketAutomation.ts'
import type { NewNotification } from '../repositories/notificationRepo.ts'
import { getSetting } from '../repositories/settingsRepo.ts'
import { claimAutoCloseDue, claimSnoozeDue } from '../repositories/sweepRepo.ts'

const BATCH = 500
const DAY_MS = 86_400_000
export const DEFAULT_AUTO_CLOSE_DAYS = 7

export async function autoCloseDays(app: App): Promise<number> {
  const value = await getSetting(app.db.read, 'auto_close_days')
  const days = value === undefined ? DEFAULT_AUTO_CLOSE_DAYS : Number(value)
  return Number.isFinite(days) && days >= 0 ? days : DEFAULT_AUTO_CLOSE_DAYS
}

export async function runSnoozeSweep(app: App): Promise<number> {
  let total = 0
  for (;;) {
    const n = await app.db.transact(async (trx) => {
      const now = app.clock.now()
      const rows = await claimSnoozeDue(app.db.dialect, trx, now, BATCH)
      const open = app.statuses.reopenKey()
      for (const row of rows) {
        await trx
          .updateTable('tickets')
          .set({
            status: open,
            snoozed_until: null,
            version: row.version + 1,
            updated_at: now,
            last_activity_at: now,
          })
          .where('id', '=', row.id)
          .execute()
        const automated = await runAutomation(app, trx, {
          ticketId: row.id,
          event: null,
          actor: null,
          channel: 'system',
          at: now,
          statusBefore: row.status,
        })
        const notify: NewNotification[] =
          row.assignee_agent_id === null
            ? []
            : [
                {
                  userId: row.assignee_agent_id,
                  ticketId: row.id,
                  kind: 'snooze_ended',
                  text: `#${row.number} “${row.subject}” is back from snooze`,
                },
              ]
        await recordSystemChanges(
          trx,
          row,
          [
            { type: 'ticket.unsnoozed', before: { status: row.status }, after: { status: open } },
            {
              type: 'ticket.status_changed',
              before: { status: row.status },
              after: { status: open, snooze: true },
            },
            ...automated.changes,
          ],
          notify,
          now,
        )
      }
      return rows.length
    })
    total += n
    if (n < BATCH) return total
  }
}

export async function runAutoCloseSweep(app: App): Promise<number> {
  const days = await autoCloseDays(app)
  if (days === 0) return 0
  const closed = app.statuses.keysIn(['closed'])
  const closedKey = closed.includes('closed') ? 'closed' : closed[0]
  if (closedKey === undefined) return 0
  let total = 0
  for (;;) {
    const n = await app.db.transact(async (trx) => {
      const now = app.clock.now()
      const rows = await claimAutoCloseDue(
        app.db.dialect,
        trx,
        app.statuses.keysIn(['resolved']),
        now - days * DAY_MS,
        BATCH,
      )
      for (const row of rows) {
        await trx
          .updateTable('tickets')
          .set({ status: closedKey, closed_at: now, version: row.version + 1, updated_at: now })
          .where('id', '=', row.id)
          .execute()
        const automated = await runAutomation(app, trx, {
          ticketId: row.id,
          event: null,
          actor: null,
          channel: 'system',
          at: now,
          statusBefore: row.status,
        })
        await recordSystemChanges(
          trx,
          row,
          [
            {
              type: 'ticket.status_changed',
              before: { status: row.status },
              after: { status: closedKey, autoClosedAfterDays: days },
            },
            ...automated.changes,
          ],
          [],
          now,
        )
      }
      return rows.length
    })
    total += n
    if (n < BATCH) return total
  }
}
