// Failed password and code checks (sign-in, and every command that asks for the current password) are counted
// in a sliding window under three keys: the account, the account from one client address, and the address.
// Past a limit the check is refused with 429 and Retry-After until the oldest failure leaves the window.
//
// The per-account limit is what stops a guesser who spreads over many addresses, but on its own it lets anyone
// lock anyone out (issue 9, finding 10). So it applies only to addresses the account has never signed in from:
// from an address it has used before, only the account+address limit counts, and a stranger's failures from
// elsewhere cannot lock the owner out. docs/SECURITY.md ("Throttling") states the rule.
//
// The counts are in memory: one process's view, which is what a single node (the default) needs; with several
// web processes each counts its own (the known addresses are in the database, shared by all).
import { isIPv6 } from 'node:net'

const WINDOW_MS = 15 * 60_000
/** Failures per account from addresses it has never signed in from, across all of them. */
const PER_ACCOUNT = 5
/** Failures per account from one address (known or not). */
const PER_ACCOUNT_ADDRESS = 5
/** Failures from one address, across accounts (password spraying). */
const PER_ADDRESS = 30

/**
 * The address a client is counted and remembered under: an IPv4 address as is, an IPv6 one by its /64, which
 * one subscriber holds whole (privacy addresses rotate within it, and an attacker gets 2^64 of them).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  if (!isIPv6(ip)) return ip
  const [head = '', tail = ''] = ip.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`
}

/** One password or code check in progress, already counted as a failure. */
export interface Attempt {
  /** Seconds to wait before another try; when above 0 the check was refused and nothing was counted. */
  retryAfter: number
  /** The check succeeded: it no longer counts as a failure. */
  passed(): void
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly clock: { now(): number }) {}

  /**
   * Starts a check. It is refused (with the seconds to wait) when a limit is reached; otherwise it counts as a
   * failure at once, so that concurrent tries cannot all slip under the limit while their passwords are hashed.
   * `knownAddress` is asked only when the per-account limit is reached: has the account signed in from here?
   */
  async begin(account: string, ip: string, knownAddress: () => Promise<boolean>): Promise<Attempt> {
    const keys = this.keys(account, ip)
    const known = this.wait(keys.account, PER_ACCOUNT) > 0 ? await knownAddress() : false
    // No await from here on: the decision and the count happen together.
    const retryAfter = Math.max(
      this.wait(keys.accountAddress, PER_ACCOUNT_ADDRESS),
      this.wait(keys.address, PER_ADDRESS),
      known ? 0 : this.wait(keys.account, PER_ACCOUNT),
    )
    if (retryAfter > 0) return { retryAfter, passed: () => {} }
    const now = this.clock.now()
    for (const key of Object.values(keys)) this.failures.set(key, [...this.recent(key, now), now])
    if (this.failures.size > 100_000) this.prune(now)
    return {
      retryAfter: 0,
      passed: () => {
        for (const key of Object.values(keys)) {
          const times = this.failures.get(key)
          const at = times?.lastIndexOf(now) ?? -1
          if (at >= 0) times!.splice(at, 1)
        }
      },
    }
  }

  /**
   * A completed sign-in clears the failures of the account from this address. The account's own count stays:
   * the owner signing in must not hand a guesser elsewhere a fresh allowance.
   */
  recordSuccess(account: string, ip: string): void {
    this.failures.delete(this.keys(account, ip).accountAddress)
  }

  private wait(key: string, limit: number): number {
    const now = this.clock.now()
    const recent = this.recent(key, now)
    return recent.length >= limit ? Math.ceil((recent[recent.length - limit]! + WINDOW_MS - now) / 1000) : 0
  }

  private keys(account: string, ip: string) {
    const address = addressKey(ip)
    const who = account.trim().toLowerCase()
    return {
      account: `account:${who}`,
      accountAddress: `account+ip:${who} ${address}`,
      address: `ip:${address}`,
    }
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
