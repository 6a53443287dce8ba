// Secrets we must give back to another server (an IMAP mailbox's password) are stored sealed: AES-256-GCM
// under a key derived from SECRET_KEY, so a copy of the database (a backup, a dump, a stolen disk image)
// does not give them away. The sealed form is `sealed:v1:<iv>:<tag>:<ciphertext>` in base64url; the
// authentication tag makes a changed or truncated value fail to open instead of opening to garbage.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const PREFIX = 'sealed:v1:'
/** At least this many characters of SECRET_KEY, so the key cannot be guessed by trying words. */
export const MIN_SECRET_KEY_LENGTH = 32

export class SecretBox {
  private readonly key: Buffer

  /** `purpose` separates keys: a value sealed for one use does not open as another's. */
  constructor(secretKey: string, purpose: string) {
    if (secretKey.length < MIN_SECRET_KEY_LENGTH)
      throw new Error(`SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters`)
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'switchboard', purpose, 32))
  }

  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))
    return PREFIX + parts.join(':')
  }

  open(stored: string): string {
    if (!isSealed(stored)) return stored
    const [iv, tag, data] = stored.slice(PREFIX.length).split(':')
    if (iv === undefined || tag === undefined || data === undefined) throw new Error('malformed sealed value')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
  }
}

/** Sealed by SecretBox (rows written before sealing existed hold the plain value). */
export const isSealed = (stored: string) => stored.startsWith(PREFIX)

const boxes = new Map<string, SecretBox>()
/** The box that seals mailbox passwords under SECRET_KEY, or null on a server without one. */
export function mailboxPasswordBox(secretKey: string | undefined): SecretBox | null {
  if (!secretKey) return null
  let box = boxes.get(secretKey)
  if (!box) boxes.set(secretKey, (box = new SecretBox(secretKey, 'mailbox-password')))
  return box
}

/** The password to log in with: opened when sealed, as stored when written before sealing existed. */
export function openMailboxPassword(secretKey: string | undefined, stored: string): string {
  if (!isSealed(stored)) return stored
  const box = mailboxPasswordBox(secretKey)
  if (!box) throw new Error('the mailbox password is sealed, and SECRET_KEY is not set: set it and restart')
  return box.open(stored)
}
