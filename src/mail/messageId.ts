// Our outgoing Message-IDs carry the ticket and the recipient, signed with HMAC-SHA256. A reply that quotes
// one in In-Reply-To or References proves that its sender received our mail for that ticket; nobody can
// forge one for another ticket or person without the install's signing key (FreeScout CVE-2026-47123).
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { getSetting } from '../repositories/settingsRepo.ts'

const keys = new WeakMap<object, Buffer>()

export async function signingKey(db: Kysely<DB>): Promise<Buffer> {
  const cached = keys.get(db)
  if (cached) return cached
  const value = await getSetting(db, 'mail_signing_key')
  if (!value) throw new Error('mail_signing_key is missing: run `switchboard migrate`')
  const key = Buffer.from(value, 'base64url')
  keys.set(db, key)
  return key
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url').slice(0, 24)
}

/** `<sb.{ticket}.{user}.{nonce}.{mac}@{domain}>`; the nonce makes each message of a thread distinct. */
export function signedMessageId(
  key: Buffer,
  parts: { ticketId: number; userId: number; nonce: string },
  domain: string,
): string {
  const body = `${parts.ticketId}.${parts.userId}.${parts.nonce.replace(/[^A-Za-z0-9-]/g, '-')}`
  return `<sb.${body}.${mac(key, body)}@${domain}>`
}

const SIGNED = /^<?sb\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{24})@[^>\s]+>?$/

/** The ticket and recipient of one of our Message-IDs, or undefined when it is not ours or forged. */
export function verifyMessageId(
  key: Buffer,
  messageId: string,
): { ticketId: number; userId: number } | undefined {
  const m = SIGNED.exec(messageId.trim())
  if (!m) return undefined
  const body = `${m[1]}.${m[2]}.${m[3]}`
  const expected = Buffer.from(mac(key, body))
  const given = Buffer.from(m[4]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
  return { ticketId: Number(m[1]), userId: Number(m[2]) }
}
