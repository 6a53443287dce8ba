// API rate limits (issue 18): requests per personal access token, per API key, and per client IP for calls
// without credentials, in fixed windows counted in the database, so that every web process on PostgreSQL
// shares one allowance. Every limited answer says where the caller stands (the IETF RateLimit headers,
// draft-ietf-httpapi-ratelimit-headers, in their separate-field form, as Zendesk and GitHub send them).
import type { App } from '../app.ts'
import { AppError } from '../errors.ts'
import { countHit, deleteWindowsBefore } from '../repositories/rateLimitRepo.ts'

export type RateLimitSubject =
  { kind: 'token'; id: number } | { kind: 'api_key'; id: number } | { kind: 'ip'; address: string }

export interface RateLimitState {
  limit: number
  remaining: number
  /** Seconds until the window ends. */
  resetSeconds: number
}

const lastSweep = new WeakMap<App, number>()

function keyOf(s: RateLimitSubject): string {
  switch (s.kind) {
    case 'token':
      return `pat:${s.id}`
    case 'api_key':
      return `key:${s.id}`
    case 'ip':
      return `ip:${s.address}`
  }
}

function limitOf(app: App, s: RateLimitSubject): number {
  const c = app.config.rateLimits
  switch (s.kind) {
    case 'token':
      return c.perToken
    case 'api_key':
      return c.perApiKey
    case 'ip':
      return c.perIp
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(state.remaining),
    'ratelimit-reset': String(state.resetSeconds),
  }
}

/**
 * Counts a request against its subject's allowance. Returns where it stands (undefined when that limit is
 * off), or throws 429 `rate_limited` with Retry-After once the window's allowance is spent.
 */
export async function spendRateLimit(
  app: App,
  subject: RateLimitSubject,
): Promise<RateLimitState | undefined> {
  const limit = limitOf(app, subject)
  if (limit === 0) return undefined
  const { windowMs } = app.config.rateLimits
  const now = app.clock.now()
  const windowStart = Math.floor(now / windowMs) * windowMs
  const sweepDue = (lastSweep.get(app) ?? 0) < windowStart
  if (sweepDue) lastSweep.set(app, windowStart)
  const hits = await app.db.transact(async (trx) => {
    // Once a window per process: windows before the previous one are no longer read.
    if (sweepDue) await deleteWindowsBefore(trx, windowStart - windowMs)
    return countHit(trx, keyOf(subject), windowStart)
  })
  const state: RateLimitState = {
    limit,
    remaining: Math.max(0, limit - hits),
    resetSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  }
  if (hits > limit) {
    throw new AppError(
      'too_many_requests',
      'rate_limited',
      `Rate limit of ${limit} requests per ${windowMs / 1000} s reached; try again in ${state.resetSeconds} s.`,
      undefined,
      { ...rateLimitHeaders(state), 'retry-after': String(state.resetSeconds) },
    )
  }
  return state
}
