// TOTP two-factor sign-in for agents (RFC 6238 through otplib), with single-use recovery codes. Admins can
// require it for every agent (setting `security.require_agent_two_factor`).
import { randomBytes } from 'node:crypto'
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib'
import { z } from 'zod'
import type { App } from '../app.ts'
import { AppError, badRequest, forbidden } from '../errors.ts'
import type { Origin } from '../domain/origin.ts'
import type { Actor } from '../policies/actor.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { getSetting, putSetting } from '../repositories/settingsRepo.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  recordFailedSignIn,
  sha256,
  startSession,
  startAttempt,
  throttleAccount,
  verifyCurrentPassword,
  type SessionGrant,
} from './auth.ts'
import { text } from './fields.ts'
import { endOtherAccess } from './passwords.ts'

const REQUIRE_SETTING = 'security.require_agent_two_factor'
const ISSUER = 'Switchboard'
const RECOVERY_CODES = 10
/** One step either side: a phone clock 30 s off still works. */
const TOLERANCE_S = 30
const PERIOD_S = 30

export const TwoFactorCode = z.object({ code: text(64) })
export const SecondStep = z.object({ challengeToken: text(200), code: text(64) })
export const DisableTwoFactor = z.object({
  currentPassword: text(1024),
  code: text(64).describe('A current code from the authenticator app, or an unused recovery code'),
})
export type DisableTwoFactor = z.infer<typeof DisableTwoFactor>

// Read on every request of an agent without two-factor sign-in, so it is cached briefly; another process's
// change applies within REQUIRE_CACHE_MS, this process's at once.
const REQUIRE_CACHE_MS = 5000
const requiredCache = new WeakMap<App, { value: boolean; until: number }>()

export async function agentTwoFactorRequired(app: App): Promise<boolean> {
  const now = Date.now()
  const cached = requiredCache.get(app)
  if (cached && cached.until > now) return cached.value
  const value = (await getSetting(app.db.read, REQUIRE_SETTING)) === 'true'
  requiredCache.set(app, { value, until: now + REQUIRE_CACHE_MS })
  return value
}

/** Turning the requirement on needs the admin's own two-factor sign-in first, so they cannot lock themselves out. */
export async function setAgentTwoFactorRequired(app: App, actor: Actor, required: boolean): Promise<void> {
  await app.db.transact(async (trx) => {
    if (required) {
      const self = await trx
        .selectFrom('users')
        .select('totp_enabled')
        .where('id', '=', actor.id)
        .executeTakeFirstOrThrow()
      if (self.totp_enabled !== 1) {
        throw new AppError(
          'conflict',
          'enrol_two_factor_first',
          'Turn on two-factor sign-in for yourself before requiring it of every agent.',
        )
      }
    }
    const before = (await getSetting(trx, REQUIRE_SETTING)) === 'true'
    await putSetting(trx, REQUIRE_SETTING, required ? 'true' : 'false')
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: actor.id,
          type: 'settings.security_changed',
          channel: 'web',
          before: { requireAgentTwoFactor: before },
          after: { requireAgentTwoFactor: required },
          at: app.clock.now(),
        },
      ],
      actor.origin,
    )
  })
  requiredCache.set(app, { value: required, until: Date.now() + REQUIRE_CACHE_MS })
}

function requireAgent(actor: Actor, viaAccessToken: boolean): void {
  if (actor.kind !== 'agent') throw forbidden('Two-factor sign-in is for agents.')
  if (viaAccessToken) throw forbidden('Change two-factor sign-in from a signed-in session, not with a token.')
}

/** Starts enrolment: a new secret, pending until confirmed with a code from the authenticator app. */
export async function enrolTwoFactor(
  app: App,
  actor: Actor,
  viaAccessToken: boolean,
): Promise<{ secret: string; otpauthUrl: string }> {
  requireAgent(actor, viaAccessToken)
  const secret = generateSecret()
  await app.db.transact(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select('totp_enabled')
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow()
    if (user.totp_enabled === 1) {
      throw new AppError(
        'conflict',
        'two_factor_already_enabled',
        'Two-factor sign-in is already on; turn it off first to enrol a new device.',
      )
    }
    await trx.updateTable('users').set({ totp_secret: secret }).where('id', '=', actor.id).execute()
  })
  return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label: actor.email, secret }) }
}

/** The time step of a valid code that was not used before, or undefined. */
async function acceptedStep(secret: string, code: string, lastStep: number | null, now: number) {
  if (!/^\d{6}$/.test(code)) return undefined
  const epoch = Math.floor(now / 1000)
  const result = await verifyTotp({
    secret,
    token: code,
    epoch,
    epochTolerance: TOLERANCE_S,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  }).catch(() => ({ valid: false as const }))
  return result.valid ? Math.floor(epoch / PERIOD_S) + result.delta : undefined
}

function newRecoveryCodes(): string[] {
  // 80 random bits each, so a sha256 at rest is enough (no slow hash needed), grouped for reading aloud.
  return Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(10).toString('hex')
    return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`
  })
}
const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^0-9a-f]/g, '')

/**
 * Confirms enrolment with a first code; returns the recovery codes, shown this once. Every other way into the
 * account ends (sessions, access tokens, open reset and ticket links): whatever was opened with the password
 * alone must not outlive the second factor. The session that confirms stays signed in.
 */
export async function confirmTwoFactor(
  app: App,
  actor: Actor,
  code: string,
  session: { token: string | undefined },
): Promise<{ recoveryCodes: string[] }> {
  requireAgent(actor, session.token === undefined)
  const now = app.clock.now()
  const user = await app.db.read
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow()
  if (user.totp_enabled === 1)
    throw new AppError('conflict', 'two_factor_already_enabled', 'Two-factor sign-in is already on.')
  if (user.totp_secret === null)
    throw badRequest('two_factor_not_enrolling', 'Start with POST /api/v1/auth/two-factor/enrol.')
  const step = await acceptedStep(user.totp_secret, code, null, now)
  if (step === undefined)
    throw badRequest('invalid_code', 'That code is not right; check the clock of the device.')
  const codes = newRecoveryCodes()
  await app.db.transact(async (trx) => {
    await trx
      .updateTable('users')
      .set({ totp_enabled: 1, totp_last_step: step })
      .where('id', '=', actor.id)
      .where('totp_secret', '=', user.totp_secret)
      .execute()
    await trx.deleteFrom('recovery_codes').where('user_id', '=', actor.id).execute()
    await endOtherAccess(trx, actor.id, now, sha256(session.token!))
    await trx
      .insertInto('recovery_codes')
      .values(
        codes.map((c) => ({
          code_hash: sha256(normaliseRecoveryCode(c)),
          user_id: actor.id,
          created_at: now,
        })),
      )
      .execute()
    await insertEvents(
      trx,
      [{ ticketId: null, actorId: actor.id, type: 'auth.two_factor_enabled', channel: 'web', at: now }],
      actor.origin,
    )
  })
  return { recoveryCodes: codes }
}

/**
 * Turns two-factor sign-in off. Needs the current password and a current code (or an unused recovery code),
 * both checked through the sign-in throttle: a stolen session alone can neither guess the password here nor
 * remove the second factor.
 */
export async function disableTwoFactor(
  app: App,
  actor: Actor,
  input: DisableTwoFactor,
  viaAccessToken: boolean,
): Promise<void> {
  requireAgent(actor, viaAccessToken)
  await verifyCurrentPassword(app, actor, input.currentPassword)
  const now = app.clock.now()
  const user = await app.db.read
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled', 'totp_last_step'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow()
  if (user.totp_enabled !== 1 || user.totp_secret === null)
    throw new AppError('conflict', 'two_factor_not_enabled', 'Two-factor sign-in is not on.')
  const attempt = await startAttempt(app, actor.email, actor.id, actor.origin?.ip ?? null)
  const proof = await secondFactorProof({ ...user, totp_secret: user.totp_secret }, input.code, now)
  const disabled = await app.db.transact(async (trx) => {
    if (!(await claimSecondFactor(trx, actor.id, proof, now))) return false
    await trx
      .updateTable('users')
      .set({ totp_enabled: 0, totp_secret: null, totp_last_step: null })
      .where('id', '=', actor.id)
      .execute()
    await trx.deleteFrom('recovery_codes').where('user_id', '=', actor.id).execute()
    await insertEvents(
      trx,
      [{ ticketId: null, actorId: actor.id, type: 'auth.two_factor_disabled', channel: 'web', at: now }],
      actor.origin,
    )
    return true
  })
  if (disabled) return attempt.passed()
  await recordFailedSignIn(app, actor.id, 'two_factor', actor.origin ?? { ip: null, userAgent: null })
  throw new AppError(
    'forbidden',
    'invalid_two_factor',
    'The code is not correct: give a current code from the authenticator app, or an unused recovery code.',
  )
}

/** What a typed second-factor code is: a TOTP code's time step, or a recovery code's hash, or neither. */
type SecondFactorProof = { step: number } | { recoveryHash: string } | undefined

async function secondFactorProof(
  user: { totp_secret: string; totp_enabled: number; totp_last_step: number | null },
  code: string,
  now: number,
): Promise<SecondFactorProof> {
  if (user.totp_enabled === 1) {
    const step = await acceptedStep(user.totp_secret, code.trim(), user.totp_last_step, now)
    if (step !== undefined) return { step }
  }
  const normalised = normaliseRecoveryCode(code)
  return normalised.length === 20 ? { recoveryHash: sha256(normalised) } : undefined
}

/** Spends the proof: a TOTP time step is accepted once, a recovery code is used up. False when neither holds. */
async function claimSecondFactor(
  trx: Kysely<DB>,
  userId: number,
  proof: SecondFactorProof,
  now: number,
): Promise<boolean> {
  if (proof === undefined) return false
  if ('step' in proof) {
    // Replay guard: a code's time step is accepted once, even by two racing requests.
    const updated = await trx
      .updateTable('users')
      .set({ totp_last_step: proof.step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', proof.step)]))
      .executeTakeFirst()
    return Number(updated.numUpdatedRows) === 1
  }
  const used = await trx
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('code_hash', '=', proof.recoveryHash)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(used.numUpdatedRows) === 1
}

const invalidSecondStep = () =>
  new AppError(
    'unauthenticated',
    'invalid_two_factor',
    'Access denied: the code is not correct, or the sign-in took too long; sign in again.',
  )

/**
 * The second step of a two-factor sign-in: the challenge from the password step plus a TOTP code or an unused
 * recovery code. Failures count against the account in the sign-in throttle.
 */
export async function completeTwoFactorLogin(
  app: App,
  input: z.infer<typeof SecondStep>,
  origin: Origin & { ip: string },
): Promise<SessionGrant> {
  const now = app.clock.now()
  const challenge = await app.db.read
    .selectFrom('login_challenges as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'c.token_hash',
      'c.expires_at',
      'u.id',
      'u.email',
      'u.totp_secret',
      'u.totp_enabled',
      'u.totp_last_step',
      'u.is_active',
    ])
    .where('c.token_hash', '=', sha256(input.challengeToken))
    .executeTakeFirst()
  if (!challenge || challenge.expires_at <= now || challenge.is_active !== 1) throw invalidSecondStep()
  const attempt = await startAttempt(app, challenge.email, challenge.id, origin.ip)
  const proof =
    challenge.totp_enabled === 1 && challenge.totp_secret !== null
      ? await secondFactorProof({ ...challenge, totp_secret: challenge.totp_secret }, input.code, now)
      : undefined
  const accepted = await app.db.transact(async (trx) => {
    const ok = await claimSecondFactor(trx, challenge.id, proof, now)
    if (!ok) return false
    // The challenge is single-use: deleting it is the claim.
    const claimed = await trx
      .deleteFrom('login_challenges')
      .where('token_hash', '=', challenge.token_hash)
      .executeTakeFirst()
    if (Number(claimed.numDeletedRows) !== 1) throw invalidSecondStep()
    return true
  })
  if (!accepted) {
    await recordFailedSignIn(app, challenge.id, 'two_factor', origin)
    throw invalidSecondStep()
  }
  await attempt.passed()
  await app.loginThrottle.recordSuccess(throttleAccount(challenge.id, challenge.email), origin.ip)
  return startSession(app, challenge.id, origin)
}
