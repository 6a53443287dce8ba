// Failed sign-ins are counted per account and per client IP in a sliding window. Past the limit, sign-in is
// refused with 429 and Retry-After until the oldest failure leaves the window. In memory: one process's view,
// which is what a single node (the default) needs; a multi-process deployment throttles per process.

const WINDOW_MS = 15 * 60_000
const PER_ACCOUNT = 5
const PER_IP = 30

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly clock: { now(): number }) {}

  /** Seconds to wait before another try, or 0 when a try is allowed now. */
  retryAfter(email: string, ip: string): number {
    const now = this.clock.now()
    const wait = (key: string, limit: number) => {
      const recent = this.recent(key, now)
      return recent.length >= limit ? Math.ceil((recent[recent.length - limit]! + WINDOW_MS - now) / 1000) : 0
    }
    return Math.max(wait(`account:${email.toLowerCase()}`, PER_ACCOUNT), wait(`ip:${ip}`, PER_IP))
  }

  recordFailure(email: string, ip: string): void {
    const now = this.clock.now()
    for (const key of [`account:${email.toLowerCase()}`, `ip:${ip}`]) {
      this.failures.set(key, [...this.recent(key, now), now])
    }
    if (this.failures.size > 100_000) this.prune(now)
  }

  recordSuccess(email: string): void {
    this.failures.delete(`account:${email.toLowerCase()}`)
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS)
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      if (!times.some((t) => t > now - WINDOW_MS)) this.failures.delete(key)
    }
  }
}
