// Delivers side effects after commit: claims due outbox rows, hands each to its topic's handler, deletes
// what was delivered and backs off what failed. Rows that keep failing are dead-lettered, never dropped.
import type { App } from '../app.ts'
import { PASSWORD_RESET_TOPIC, type PasswordResetEmail } from '../commands/passwords.ts'
import { TICKET_LINK_TOPIC, type TicketLinkEmail } from '../commands/ticketLinks.ts'
import { sendPasswordReset, sendSatisfactionSurvey, sendTicketLink } from '../mail/accountMail.ts'
import { SATISFACTION_TOPIC, type SatisfactionEmail } from '../commands/satisfactionSurvey.ts'
import type { RealtimeMessage } from '../realtime/bus.ts'
import { WEBHOOK_FANOUT_TOPIC, type WebhookFanout } from '../domain/webhooks.ts'
import { fanOutWebhooks } from './webhookFanout.ts'
import { publishRealtime } from '../realtime/fanout.ts'
import {
  expandTicketMail,
  MAIL_SEND_TOPIC,
  sendOutgoing,
  TICKET_MAIL_TOPIC,
  type OutgoingMail,
  type TicketMail,
} from '../mail/ticketMail.ts'
import {
  claimOutboxRows,
  deleteOutboxRows,
  failOutboxRow,
  releaseOutboxRows,
} from '../repositories/outboxRepo.ts'

export type OutboxHandler = (payload: unknown) => Promise<void> | void

const BATCH = 500
const LEASE_MS = 60_000
const MAX_ATTEMPTS = 10
// Commits arriving within this window are drained together: one claim per burst, not one per commit.
const COALESCE_MS = 25
const IDLE_POLL_MS = 1000

interface Failure {
  id: number
  attempts: number
  error: string
}

export class OutboxDrainer {
  private readonly handlers = new Map<string, OutboxHandler>()
  private running = false
  private scheduled: NodeJS.Timeout | undefined
  private stopped = false

  constructor(private readonly app: App) {
    this.handlers.set('realtime', (payload) => publishRealtime(app, payload as RealtimeMessage))
    this.handlers.set(TICKET_MAIL_TOPIC, (payload) => expandTicketMail(app, payload as TicketMail))
    this.handlers.set(MAIL_SEND_TOPIC, (payload) => sendOutgoing(app, payload as OutgoingMail))
    this.handlers.set(PASSWORD_RESET_TOPIC, (payload) =>
      sendPasswordReset(app, payload as PasswordResetEmail),
    )
    this.handlers.set(TICKET_LINK_TOPIC, (payload) => sendTicketLink(app, payload as TicketLinkEmail))
    this.handlers.set(SATISFACTION_TOPIC, (payload) =>
      sendSatisfactionSurvey(app, payload as SatisfactionEmail),
    )
    // The worker replaces this with one that also wakes its webhook deliverer (cli.ts).
    this.handlers.set(WEBHOOK_FANOUT_TOPIC, (payload) => fanOutWebhooks(app, payload as WebhookFanout))
  }

  /** Sets the handler of an outbox topic (the mail sender registers its email topics here). */
  on(topic: string, handler: OutboxHandler): void {
    this.handlers.set(topic, handler)
  }

  start(): void {
    this.app.db.onCommit(() => this.schedule(COALESCE_MS))
    this.schedule(0)
  }

  /**
   * Lets the delivery under way finish and settles it, claims nothing more, and gives back the rows it had
   * claimed but not started, so that the next worker (or the next start) delivers them at once.
   */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.scheduled)
    await this.whenIdle()
  }

  /** Resolves once no drain is under way. */
  async whenIdle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5))
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.running || this.scheduled) return
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined
      void this.drain()
    }, delayMs)
    if (delayMs >= IDLE_POLL_MS) this.scheduled.unref()
  }

  /** Delivers everything due now; one transaction per round settles the last round and claims the next. */
  async drain(): Promise<void> {
    if (this.running) return
    this.running = true
    clearTimeout(this.scheduled)
    this.scheduled = undefined
    let delivered: number[] = []
    let failed: Failure[] = []
    let unstarted: number[] = []
    try {
      for (;;) {
        const now = this.app.clock.now()
        const settle = { delivered, failed, unstarted }
        const rows = await this.app.db.transact(async (trx) => {
          await deleteOutboxRows(trx, settle.delivered)
          await releaseOutboxRows(trx, settle.unstarted, now)
          for (const f of settle.failed) {
            const next =
              f.attempts >= MAX_ATTEMPTS
                ? { deadAt: now }
                : { retryAt: now + Math.min(2 ** f.attempts * 1000, 3600_000) }
            await failOutboxRow(trx, f.id, f.error, next)
          }
          return this.stopped ? [] : claimOutboxRows(this.app.db.dialect, trx, now, now + LEASE_MS, BATCH)
        })
        delivered = []
        failed = []
        unstarted = []
        if (rows.length === 0) break
        for (const row of rows) {
          if (this.stopped) {
            unstarted.push(row.id)
            continue
          }
          const handler = this.handlers.get(row.topic)
          try {
            if (!handler) throw new Error(`no handler for outbox topic "${row.topic}"`)
            await handler(JSON.parse(row.payload))
            delivered.push(row.id)
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error)
            failed.push({ id: row.id, attempts: row.attempts, error: message })
            console.error(
              `outbox: delivery ${row.id} (${row.topic}) failed on attempt ${row.attempts}: ${message}`,
            )
          }
        }
      }
    } catch (error) {
      console.error('outbox: drain failed', error)
    } finally {
      this.running = false
      // Our own commits poked schedule() while running and were ignored; poll for retries and other writers.
      this.schedule(IDLE_POLL_MS)
    }
  }
}
