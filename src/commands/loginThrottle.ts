// Failed password and code checks (sign-in, and every command that asks for the current password) are counted
// in a sliding window under three keys: the account, the account from one client address, and the address.
// Past a limit the check is refused with 429 and Retry-After until the oldest failure leaves the window.
//
// The per-account limit is what stops a guesser who spreads over many addresses, but on its own it lets anyone
// lock anyone out (issue 9, finding 10). So it applies only to addresses the account has never signed in from:
// from an address it has used before, only the account+address limit counts, and a stranger's failures from
// elsewhere cannot lock the owner out. docs/SECURITY.md ("Throttling") states the rule.
//
// The failures are rows in the database (auth_failures), so several web processes on PostgreSQL count against
// one allowance; each decision and its count happen in one transaction, under an advisory lock per key there
// (SQLite's single writer serialises them already).
import { isIPv6 } from 'node:net'
import { sql } from 'kysely'
import type { Database } from '../db/connection.ts'

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
  passed(): Promise<void>
}

export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly clock: { now(): number },
  ) {}

  /**
   * Starts a check. It is refused (with the seconds to wait) when a limit is reached; otherwise it counts as a
   * failure at once, so that concurrent tries cannot all slip under the limit while their passwords are hashed.
   * `knownAddress`: has the account signed in from here? Asked before the transaction (it reads on another
   * connection), and only its answer decides whether the per-account limit applies.
   */
  async begin(account: string, ip: string, knownAddress: () => Promise<boolean>): Promise<Attempt> {
    const keys = this.keys(account, ip)
    const known = await knownAddress()
    const now = this.clock.now()
    const since = now - WINDOW_MS
    const decided = await this.db.transact(async (trx) => {
      if (this.db.dialect === 'postgres') {
        // Sorted, so that two checks sharing keys always lock them in the same order.
        for (const key of Object.values(keys).sort())
          await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx)
      }
      const rows = await trx
        .selectFrom('auth_failures')
        .select(['key', 'at'])
        .where('key', 'in', Object.values(keys))
        .where('at', '>', since)
        .orderBy('at')
        .execute()
      const times = (key: string) => rows.filter((r) => r.key === key).map((r) => Number(r.at))
      const wait = (key: string, limit: number) => {
        const recent = times(key)
        return recent.length >= limit
          ? Math.ceil((recent[recent.length - limit]! + WINDOW_MS - now) / 1000)
          : 0
      }
      const retryAfter = Math.max(
        wait(keys.accountAddress, PER_ACCOUNT_ADDRESS),
        wait(keys.address, PER_ADDRESS),
        known ? 0 : wait(keys.account, PER_ACCOUNT),
      )
      if (retryAfter > 0) return { retryAfter, ids: [] }
      // Old failures go as new ones come: the table holds one window's worth.
      await trx.deleteFrom('auth_failures').where('at', '<=', since).execute()
      const inserted = await trx
        .insertInto('auth_failures')
        .values(Object.values(keys).map((key) => ({ key, at: now })))
        .returning('id')
        .execute()
      return { retryAfter: 0, ids: inserted.map((r) => r.id) }
    })
    return {
      retryAfter: decided.retryAfter,
      passed: async () => {
        if (decided.ids.length === 0) return
        await this.db.transact((trx) =>
          trx.deleteFrom('auth_failures').where('id', 'in', decided.ids).execute(),
        )
      },
    }
  }

  /**
   * A completed sign-in clears the failures of the account from this address. The account's own count stays:
   * the owner signing in must not hand a guesser elsewhere a fresh allowance.
   */
  async recordSuccess(account: string, ip: string): Promise<void> {
    const key = this.keys(account, ip).accountAddress
    await this.db.transact((trx) => trx.deleteFrom('auth_failures').where('key', '=', key).execute())
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
}
