// The worker's timer loop: runs every sweep on a fixed interval. It holds no state of its own: each sweep
// reads stored due times, so stopping, crashing or running several workers loses and repeats nothing.
import type { App } from '../app.ts'
import { runAttachmentSweep } from './attachmentSweep.ts'
import { runReportFacts } from './reportFacts.ts'
import { runSlaSweep } from './slaSweep.ts'
import { runAutoCloseSweep, runSnoozeSweep } from './statusSweeps.ts'

/** The sweeps of one round, each on its own: one that fails does not stop the others. */
export const SWEEPS: readonly { name: string; run: (app: App) => Promise<unknown> }[] = [
  { name: 'sla', run: runSlaSweep },
  { name: 'snooze', run: runSnoozeSweep },
  { name: 'auto_close', run: runAutoCloseSweep },
  // Reports read facts derived from the event log; at most 20 batches a round, so a backlog never holds a round up.
  { name: 'report_facts', run: (app) => runReportFacts(app, { maxBatches: 20 }) },
]

/**
 * One round of every sweep, for osTicket's `POST /api/tasks/cron` (rcron.php). Safe beside a running
 * scheduler: each sweep claims what is due from stored times, so a second round repeats nothing.
 */
export async function runSweepsOnce(app: App): Promise<{ ran: string[]; failed: string[] }> {
  const ran: string[] = []
  const failed: string[] = []
  for (const sweep of SWEEPS) {
    try {
      await sweep.run(app)
      ran.push(sweep.name)
    } catch (error) {
      failed.push(sweep.name)
      console.error(`cron: ${sweep.name} sweep failed`, error)
    }
  }
  return { ran, failed }
}

const SWEEP_INTERVAL_MS = Number(process.env.SWEEP_INTERVAL_MS ?? 10_000)
const RELOAD_EVERY = 6

export class Scheduler {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false
  private ticks = 0
  /** Failures per sweep since start, so a failing sweep is counted as well as logged. */
  readonly failures = new Map<string, number>()

  constructor(private readonly app: App) {}

  start(): void {
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  private schedule(delay: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(SWEEP_INTERVAL_MS))
    }, delay).unref()
  }

  private async tick(): Promise<void> {
    // Other processes may have changed the statuses or fields; reload them now and then.
    if (++this.ticks % RELOAD_EVERY === 0) {
      await this.step('reload', async () => {
        await this.app.statuses.load(this.app.db.read)
        await this.app.fields.load(this.app.db.read)
      })
    }
    for (const sweep of SWEEPS) await this.step(sweep.name, () => sweep.run(this.app))
    // Expiry is counted in hours: once a minute is plenty, and spares a scan of the blobs every tick.
    if (this.ticks % RELOAD_EVERY === 1) await this.step('attachments', () => runAttachmentSweep(this.app))
  }

  private async step(name: string, fn: () => Promise<unknown>): Promise<void> {
    if (this.stopped) return
    try {
      await fn()
    } catch (error) {
      const n = (this.failures.get(name) ?? 0) + 1
      this.failures.set(name, n)
      console.error(`scheduler: ${name} sweep failed (${n} failures so far)`, error)
    }
  }
}
