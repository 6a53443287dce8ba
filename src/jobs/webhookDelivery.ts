// Delivers webhook rows (issue 18): signed POSTs, ordered per ticket, retried with backoff, then failed for an
// admin to see and redeliver. All state is in webhook_deliveries, so a restart resumes where it stopped.
//
// HTTP goes through node:http(s).request with our own `lookup`, not fetch: we resolve the host once, judge
// every address it has, and hand the request exactly the address we judged, so no second DNS answer (DNS
// rebinding) can point the connection elsewhere; TLS still checks the certificate against the host name.
// request() follows no redirects, lets us stop reading a body at a cap, and times the whole exchange out.
// fetch (undici) would need a custom Agent with a connect hook for the same, and still buffers redirects.
import { createHmac } from 'node:crypto'
import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import type { App } from '../app.ts'
import { privateTargetsAllowed } from '../commands/admin/webhooks.ts'
import { judgeAddress } from '../domain/webhookTargets.ts'
import {
  claimDueDeliveries,
  findWebhookRow,
  pruneSucceededDeliveries,
  releaseDeliveries,
  settleDelivery,
  type ClaimedDelivery,
  type DeliveryOutcome,
} from '../repositories/webhookRepo.ts'

/** Waits after attempts 1…7 (8 tries over about 23.6 hours), then the delivery is failed. */
export const WEBHOOK_BACKOFF_MS = [60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 28_800_000, 28_800_000]
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_BACKOFF_MS.length + 1
export const WEBHOOK_TIMEOUT_MS = 10_000
const EXCERPT_BYTES = 1024
/** Longer than the timeout: a worker that dies mid-request leaves the delivery to the next after this. */
const LEASE_MS = 60_000
/** Deliveries sent at once by one worker. */
const BATCH = 16
const POLL_MS = 1000
/** Succeeded deliveries are kept this long for the deliveries list, then pruned (at most once an hour). */
export const WEBHOOK_KEEP_SUCCEEDED_MS = 30 * 86_400_000
const PRUNE_EVERY_MS = 3_600_000

export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>
const systemResolve: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true })

export interface AttemptResult {
  ok: boolean
  status: number | null
  excerpt: string | null
  error: string | null
  /** Retrying cannot help (the target is refused): fail at once. */
  final?: boolean
}

export class WebhookDeliverer {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false
  private started = false
  private prunedAt = 0
  private readonly resolve: Resolve

  constructor(
    private readonly app: App,
    options: { resolve?: Resolve } = {},
  ) {
    this.resolve = options.resolve ?? systemResolve
  }

  start(): void {
    this.stopped = false
    this.started = true
    this.schedule(0)
  }

  /** Lets the deliveries under way finish; the rest stay due for the next start or another worker. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** New deliveries were queued: go now rather than at the next poll. */
  poke(): void {
    if (this.started && !this.stopped && !this.running) this.schedule(0)
  }

  private schedule(delay: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .then(() => undefined)
        .catch((error: unknown) => console.error('webhooks: delivery round failed', error))
        .finally(() => {
          this.running = undefined
          this.schedule(POLL_MS)
        })
    }, delay).unref()
  }

  /** Delivers everything due now (and what becomes due as earlier ones of a ticket finish); returns how many. */
  async runDue(): Promise<number> {
    let n = 0
    const start = this.app.clock.now()
    if (start - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = start
      await this.app.db.transact((trx) => pruneSucceededDeliveries(trx, start - WEBHOOK_KEEP_SUCCEEDED_MS))
    }
    for (;;) {
      const now = this.app.clock.now()
      const claimed = await this.app.db.transact((trx) =>
        claimDueDeliveries(this.app.db.dialect, trx, now, now + LEASE_MS, BATCH),
      )
      if (claimed.length === 0) return n
      if (this.stopped) {
        await this.app.db.transact((trx) =>
          releaseDeliveries(
            trx,
            claimed.map((c) => c.id),
            this.app.clock.now(),
          ),
        )
        return n
      }
      // A claim holds at most one delivery per webhook and ticket (the head of its queue), so the batch can go
      // out side by side: one slow receiver holds up only its own queue, and the whole batch ends within the
      // timeout, well inside the lease.
      await Promise.all(claimed.map((d) => this.deliverOne(d)))
      n += claimed.length
    }
  }

  private async deliverOne(d: ClaimedDelivery): Promise<void> {
    const hook = await findWebhookRow(this.app.db.read, d.webhook_id)
    let result: AttemptResult
    if (!hook || hook.active !== 1) {
      result = { ok: false, status: null, excerpt: null, error: 'webhook disabled or deleted', final: true }
    } else {
      const timestamp = Math.floor(this.app.clock.now() / 1000)
      result = await this.attempt(
        hook.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'x-switchboard-event': d.event,
          'x-switchboard-delivery': String(d.id),
          'x-switchboard-timestamp': String(timestamp),
          'x-switchboard-signature': `sha256=${signWebhook(hook.secret, timestamp, d.payload)}`,
        },
        d.payload,
      )
    }
    const at = this.app.clock.now()
    let outcome: DeliveryOutcome
    if (result.ok) {
      outcome = {
        status: 'succeeded',
        responseStatus: result.status,
        responseExcerpt: result.excerpt,
        error: null,
        at,
      }
    } else if (result.final || d.attempts >= WEBHOOK_MAX_ATTEMPTS) {
      outcome = {
        status: 'failed',
        responseStatus: result.status,
        responseExcerpt: result.excerpt,
        error: result.error,
        at,
      }
    } else {
      outcome = {
        status: 'pending',
        nextAttemptAt: at + WEBHOOK_BACKOFF_MS[d.attempts - 1]!,
        responseStatus: result.status,
        responseExcerpt: result.excerpt,
        error: result.error,
        at,
      }
    }
    if (!result.ok)
      console.error(
        `webhooks: delivery ${d.id} (${d.event}) attempt ${d.attempts} failed: ${result.error}` +
          (outcome.status === 'failed' ? ' (failed for good)' : ''),
      )
    await this.app.db.transact((trx) => settleDelivery(trx, d.id, outcome))
  }

  /** One POST: resolve once, judge, connect to that address, cap the answer, time out. */
  async attempt(target: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const url = new URL(target)
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { ok: false, status: null, excerpt: null, error: 'only http and https targets', final: true }
    const host = url.hostname.replace(/^\[|\]$/g, '')
    let addresses: { address: string; family: number }[]
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.resolve(host)
    } catch (error) {
      return { ok: false, status: null, excerpt: null, error: `could not resolve ${host}: ${message(error)}` }
    }
    if (addresses.length === 0)
      return { ok: false, status: null, excerpt: null, error: `${host} has no address` }
    const allowPrivate = await privateTargetsAllowed(this.app)
    // Every address is judged, not only the one we use: a name must not mix a public and a private answer.
    for (const a of addresses) {
      const verdict = judgeAddress(a.address)
      if (verdict === 'metadata' || (verdict === 'private' && !allowPrivate))
        return {
          ok: false,
          status: null,
          excerpt: null,
          error: `target refused: ${host} resolves to ${verdict === 'metadata' ? 'the cloud metadata address' : 'a loopback, private or link-local address'} ${a.address}`,
          final: true,
        }
    }
    const chosen = addresses[0]!
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [chosen])
      else callback(null, chosen.address, chosen.family)
    }
    const send = url.protocol === 'https:' ? https.request : http.request
    return new Promise<AttemptResult>((settle) => {
      // The whole exchange, not only each silence: a receiver dripping its answer is cut off too.
      const deadline = setTimeout(
        () => req.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)),
        WEBHOOK_TIMEOUT_MS,
      )
      const resolve = (r: AttemptResult) => {
        clearTimeout(deadline)
        settle(r)
      }
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: pinned,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          const finish = () => {
            const status = res.statusCode ?? 0
            const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8')
            const ok = status >= 200 && status < 300
            const location = res.headers.location
            resolve({
              ok,
              status,
              excerpt,
              error: ok
                ? null
                : status >= 300 && status < 400
                  ? `answered ${status}; redirects are not followed${location ? ` (Location: ${location.slice(0, 200)})` : ''}`
                  : `answered ${status}`,
            })
          }
          res.on('data', (chunk: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(chunk)
            size += chunk.length
            // The body is capped: past the excerpt we stop reading and close the connection.
            if (size >= EXCERPT_BYTES) {
              res.destroy()
              finish()
            }
          })
          res.on('end', finish)
          res.on('error', (error) =>
            resolve({ ok: false, status: res.statusCode ?? null, excerpt: null, error: message(error) }),
          )
        },
      )
      req.on('error', (error) => resolve({ ok: false, status: null, excerpt: null, error: message(error) }))
      req.end(body)
    })
  }
}

/** The signature: hex HMAC-SHA256 of `timestamp.body` with the webhook's secret (docs/integrations.md). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))
