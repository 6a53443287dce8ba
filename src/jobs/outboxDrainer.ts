// Delivers side effects after commit: claims due outbox rows, hands each to its topic's handler, deletes
// what was delivered and backs off what failed. Rows that keep failing are dead-lettered, never dropped.
import type { App } from '../app.ts'
import type { RealtimeMessage } from '../realtime/bus.ts'
import {
  expandTicketMail,
  MAIL_SEND_TOPIC,
  sendOutgoing,
  TICKET_MAIL_TOPIC,
  type OutgoingMail,
  type TicketMail,
} from '../mail/ticketMail.ts'
import { claimOutboxRows, deleteOutboxRows, failOutboxRow } from '../repositories/outboxRepo.ts'

type Handler = (payload: unknown) => Promise<void> | void

const BATCH = 500
const LEASE_MS = 60_000
const MAX_ATTEMPTS = 10
const IDLE_POLL_MS = 500

export class OutboxDrainer {
  private readonly handlers = new Map<string, Handler>()
  private running = false
  private again = false
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(private readonly app: App) {
    this.handlers.set('realtime', (payload) => app.bus.publish(payload as RealtimeMessage))
    this.handlers.set(TICKET_MAIL_TOPIC, (payload) => expandTicketMail(app, payload as TicketMail))
    this.handlers.set(MAIL_SEND_TOPIC, (payload) => sendOutgoing(app, payload as OutgoingMail))
  }

  start(): void {
    this.app.db.onCommit(() => this.poke())
    this.poke()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    while (this.running) await new Promise((r) => setTimeout(r, 10))
  }

  /** Runs a drain now, or right after the one under way. */
  poke(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    void this.drain()
  }

  private async drain(): Promise<void> {
    this.running = true
    clearTimeout(this.timer)
    try {
      do {
        this.again = false
        const now = this.app.clock.now()
        const rows = await this.app.db.transact((trx) =>
          claimOutboxRows(this.app.db.dialect, trx, now, now + LEASE_MS, BATCH),
        )
        // Our own commit pokes us too; only pokes from other commits should make us go round again.
        this.again = false
        const delivered: number[] = []
        const failed: { id: number; attempts: number; error: string }[] = []
        for (const row of rows) {
          const handler = this.handlers.get(row.topic)
          try {
            if (!handler) throw new Error(`no handler for outbox topic "${row.topic}"`)
            await handler(JSON.parse(row.payload))
            delivered.push(row.id)
          } catch (error) {
            failed.push({
              id: row.id,
              attempts: row.attempts,
              error: error instanceof Error ? error.message : String(error),
            })
          }
        }
        if (delivered.length > 0 || failed.length > 0) {
          await this.app.db.transact(async (trx) => {
            await deleteOutboxRows(trx, delivered)
            for (const f of failed) {
              const at = this.app.clock.now()
              await failOutboxRow(
                trx,
                f.id,
                f.error,
                f.attempts >= MAX_ATTEMPTS
                  ? { deadAt: at }
                  : { retryAt: at + Math.min(2 ** f.attempts * 1000, 3600_000) },
              )
            }
          })
          this.again = false
        }
        for (const f of failed)
          console.error(`outbox: delivery ${f.id} failed (attempt ${f.attempts}): ${f.error}`)
        if (rows.length === BATCH) this.again = true
      } while (this.again && !this.stopped)
    } catch (error) {
      console.error('outbox: drain failed', error)
    } finally {
      this.running = false
      if (!this.stopped) this.timer = setTimeout(() => this.poke(), IDLE_POLL_MS).unref()
    }
  }
}
