// Changing a password (needs the current one) and resetting a forgotten one by a single-use emailed link.
// Either way every other session and every personal access token of the account ends.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { badRequest, forbidden } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { enqueue } from '../repositories/outboxRepo.ts'
import { endLinksOf } from '../repositories/ticketLinkRepo.ts'
import { findUserByEmail } from '../repositories/userRepo.ts'
import { endSessions, hashPassword, sha256, verifyCurrentPassword } from './auth.ts'
import { email, text } from './fields.ts'
import type { Origin } from '../domain/origin.ts'

/** Long enough to resist guessing, short enough for a passphrase; argon2 bounds the cost of long ones. */
const newPassword = text(1024).refine((p) => [...p].length >= 10, {
  message: 'must be at least 10 characters long',
})

export const ChangePassword = z.object({ currentPassword: text(1024), newPassword })
export type ChangePassword = z.infer<typeof ChangePassword>
export const RequestPasswordReset = z.object({ email: z.string().max(254) })
export const ResetPassword = z.object({ token: text(200), newPassword })

export const RESET_TTL_MS = 30 * 60_000
/** At most this many reset emails per account in one RESET_TTL_MS, so the form cannot flood an inbox. */
const RESETS_PER_WINDOW = 3
export const PASSWORD_RESET_TOPIC = 'email.password_reset'

/** The payload of an `email.password_reset` outbox row, for the mail sender. */
export interface PasswordResetEmail {
  userId: number
  to: string
  name: string
  /** Append to the public base URL. The token is in the fragment, so it never reaches a server log or Referer. */
  path: string
  expiresAt: number
}

/**
 * Ends every way into an account but the caller's own session (after a password change or reset): sessions,
 * access tokens, open reset links and open ticket links.
 */
export async function endOtherAccess(trx: Kysely<DB>, userId: number, at: number, keepTokenHash?: string) {
  await endSessions(trx, userId, keepTokenHash)
  await trx
    .updateTable('access_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute()
  await trx
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
  await endLinksOf(trx, userId, at)
}

export async function changePassword(
  app: App,
  actor: Actor,
  input: ChangePassword,
  session: { token: string | undefined },
): Promise<void> {
  // A token cannot change the password: it would let a leaked token take the account over.
  if (session.token === undefined) throw forbidden('Change the password from a signed-in session.')
  await verifyCurrentPassword(app, actor, input.currentPassword)
  const hashed = await hashPassword(input.newPassword)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hashed }).where('id', '=', actor.id).execute()
    await endOtherAccess(trx, actor.id, at, sha256(session.token!))
    await insertEvents(
      trx,
      [{ ticketId: null, actorId: actor.id, type: 'auth.password_changed', channel: 'web', at }],
      actor.origin,
    )
  })
}

/**
 * Emails a reset link when the address belongs to an active account. The caller answers the same either
 * way, and both paths write one audit event in one transaction, so neither the answer nor its timing tells.
 */
export async function requestPasswordReset(
  app: App,
  input: z.infer<typeof RequestPasswordReset>,
  origin: Origin,
) {
  const parsed = email.safeParse(input.email)
  const user = parsed.success ? await findUserByEmail(app.db.read, parsed.data) : undefined
  const token = randomBytes(32).toString('base64url')
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const eligible = user !== undefined && user.is_active === 1
    let sent = false
    if (eligible) {
      const recent = await trx
        .selectFrom('password_resets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', user.id)
        .where('created_at', '>', at - RESET_TTL_MS)
        .executeTakeFirstOrThrow()
      if (Number(recent.n) < RESETS_PER_WINDOW) {
        const expiresAt = at + RESET_TTL_MS
        await trx
          .insertInto('password_resets')
          .values({ token_hash: sha256(token), user_id: user.id, created_at: at, expires_at: expiresAt })
          .execute()
        const message: PasswordResetEmail = {
          userId: user.id,
          to: user.email,
          name: user.name,
          path: `/reset-password#token=${token}`,
          expiresAt,
        }
        await enqueue(trx, PASSWORD_RESET_TOPIC, message, at)
        sent = true
      }
    }
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: eligible ? user.id : null,
          type: 'auth.password_reset_requested',
          channel: 'web',
          after: { accountExists: eligible, sent },
          at,
        },
      ],
      origin,
    )
  })
}

const invalidResetToken = () =>
  badRequest('invalid_reset_token', 'This reset link is not valid: it was used, replaced or has expired.')

/** Sets a new password from a reset link. The link works once and only until it expires. */
export async function resetPassword(
  app: App,
  input: z.infer<typeof ResetPassword>,
  origin: Origin,
): Promise<void> {
  const tokenHash = sha256(input.token)
  const now = app.clock.now()
  const reset = await app.db.read
    .selectFrom('password_resets')
    .select(['user_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (!reset || reset.used_at !== null || reset.expires_at <= now) throw invalidResetToken()
  const hashed = await hashPassword(input.newPassword)
  await app.db.transact(async (trx) => {
    // Claiming the link inside the transaction makes it single-use even against a racing second request.
    const claimed = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) throw invalidResetToken()
    const user = await trx
      .updateTable('users')
      .set({ password_hash: hashed })
      .where('id', '=', reset.user_id)
      .where('is_active', '=', 1)
      .executeTakeFirst()
    if (Number(user.numUpdatedRows) !== 1) throw invalidResetToken()
    await endOtherAccess(trx, reset.user_id, now)
    await insertEvents(
      trx,
      [{ ticketId: null, actorId: reset.user_id, type: 'auth.password_reset', channel: 'web', at: now }],
      origin,
    )
  })
}
