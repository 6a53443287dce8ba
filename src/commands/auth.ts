import { createHash, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import type { Origin } from '../domain/origin.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { deleteSessionsOf, insertSession, touchSession } from '../repositories/sessionRepo.ts'
import { hasSignedInFrom, rememberSignInAddress } from '../repositories/signInAddressRepo.ts'
import { findUserByEmail, findUserById, rolesOf, teamIdsOf } from '../repositories/userRepo.ts'
import { ACCESS_TOKEN_PREFIX, findAccessToken, type Scope } from './accessTokens.ts'
import { email, text } from './fields.ts'
import { addressKey, type Attempt } from './loginThrottle.ts'
import { reusable } from '../db/reusable.ts'
import { ldapSignIn } from './ldapSignIn.ts'
import { sessionLifetimeHours } from '../repositories/securityPolicyRepo.ts'

export const Login = z.object({ email: z.string().max(254), password: text(1024) })
export type Login = z.infer<typeof Login>

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const
/** How finely a session's "last seen" is kept (sessions list). */
const LAST_SEEN_RESOLUTION_MS = 5 * 60_000
/** How long the second step of a two-factor sign-in may take after the password step. */
const CHALLENGE_TTL_MS = 5 * 60_000

export const hashPassword = (password: string) => hash(password, ARGON2)

// Verified against when the email is unknown, so a wrong email and a wrong password take the same time.
let dummyHash: Promise<string> | undefined

/** A bcrypt hash (`$2y$`, `$2a$`, `$2b$`) as imported from osTicket (issue 14): checked, then replaced. */
export const isLegacyHash = (stored: string | null | undefined): stored is string =>
  typeof stored === 'string' && /^\$2[aby]\$\d\d\$/.test(stored)

/** Verifies a password against a stored hash; a missing hash costs the same time and fails. */
export async function passwordMatches(stored: string | null | undefined, password: string): Promise<boolean> {
  if (isLegacyHash(stored)) {
    const bcrypt = await import('bcryptjs')
    // PHP's $2y$ is the same algorithm as $2b$ (the name marks PHP's fixed implementation).
    return bcrypt.compare(password, stored.replace(/^\$2y\$/, '$2b$')).catch(() => false)
  }
  const against = stored ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))))
  const ok = await verify(against, password).catch(() => false)
  return ok && stored !== null && stored !== undefined
}

/** After a correct password against an imported bcrypt hash: store it as argon2id from now on. */
async function upgradeLegacyHash(app: App, userId: number, stored: string, password: string): Promise<void> {
  const fresh = await hashPassword(password)
  await app.db.transact((trx) =>
    trx
      .updateTable('users')
      .set({ password_hash: fresh })
      .where('id', '=', userId)
      .where('password_hash', '=', stored)
      .execute(),
  )
}

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex')

const invalidCredentials = () =>
  new AppError(
    'unauthenticated',
    'invalid_credentials',
    'Access denied: the email or password is not correct.',
  )

export const tooManyAttempts = (wait: number) =>
  new AppError(
    'too_many_requests',
    'too_many_attempts',
    `Too many wrong passwords or codes. Try again in ${wait} seconds.`,
    undefined,
    { 'retry-after': String(wait) },
  )

/** The address a request without one (the command line) is counted under. */
const LOCAL = 'local'

/**
 * The throttle's name for an account: its id when it exists, so that every spelling of its address (case,
 * Unicode forms) counts as one account; the address as typed when it does not.
 */
export const throttleAccount = (userId: number | undefined, typed: string) =>
  userId === undefined ? typed : `#${userId}`

/**
 * Starts a check of a password or second-factor code for the account: 429 when the sign-in throttle refuses it
 * (see loginThrottle.ts for the rule), else counted as a failure until `passed()`. Every such check starts here.
 */
export async function startAttempt(
  app: App,
  account: string,
  userId: number | undefined,
  from: string | null,
): Promise<Attempt> {
  const ip = from ?? LOCAL
  // Asked for an unknown account too (user id 0 matches nothing), so the answer takes the same time.
  const attempt = await app.loginThrottle.begin(throttleAccount(userId, account), ip, () =>
    hasSignedInFrom(app.db.read, userId ?? 0, addressKey(ip)),
  )
  if (attempt.retryAfter > 0) throw tooManyAttempts(attempt.retryAfter)
  return attempt
}

const wrongPassword = () =>
  new AppError('forbidden', 'wrong_password', 'The current password is not correct.')

/**
 * The check of "your current password" that guards changes to an account's security (password, two-factor
 * sign-in, access tokens). It is the sign-in's check: the same throttle, the same failure count and a failed
 * attempt in the audit log, so a stolen session is not a password oracle (issue 9, finding 5).
 */
export async function verifyCurrentPassword(app: App, actor: Actor, password: string): Promise<void> {
  const user = await app.db.read
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('id', '=', actor.id)
    .executeTakeFirst()
  const attempt = await startAttempt(app, actor.email, user?.id, actor.origin?.ip ?? null)
  if (await passwordMatches(user?.password_hash, password)) return attempt.passed()
  await recordFailedSignIn(app, actor.id, 'current_password', actor.origin ?? { ip: null, userAgent: null })
  throw wrongPassword()
}

export interface GrantedUser {
  id: number
  name: string
  email: string
  type: 'agent' | 'customer'
  isAdmin: boolean
}

export interface SessionGrant {
  kind: 'session'
  token: string
  csrfToken: string
  expiresAt: number
  user: GrantedUser
}

/** The password was right and the account has two-factor sign-in: the second step must follow. */
export interface ChallengeGrant {
  kind: 'two_factor'
  challengeToken: string
  expiresAt: number
}

export async function login(
  app: App,
  input: Login,
  origin: Origin & { ip: string },
): Promise<SessionGrant | ChallengeGrant> {
  const parsedEmail = email.safeParse(input.email)
  let user = parsedEmail.success ? await findUserByEmail(app.db.read, parsedEmail.data) : undefined
  const attempt = await startAttempt(app, input.email, user?.id, origin.ip)
  // An LDAP-backed agent, or someone only the directory knows, is checked by the directory (ldapSignIn.ts).
  const address = parsedEmail.success ? parsedEmail.data : undefined
  const directory = await ldapSignIn(app, address, input.password, user, origin)
  if (directory?.ok) user = await findUserByEmail(app.db.read, address!)
  const matches = directory
    ? directory.ok && user?.id === directory.userId
    : await passwordMatches(user?.password_hash, input.password)
  if (!user || !matches || user.is_active !== 1) {
    await recordFailedSignIn(app, user?.id ?? null, 'password', origin)
    throw invalidCredentials()
  }
  await attempt.passed()
  if (isLegacyHash(user.password_hash))
    await upgradeLegacyHash(app, user.id, user.password_hash, input.password)
  if (user.type === 'agent' && user.totp_enabled === 1) {
    // Earlier failures stay counted until the second step succeeds: a right password alone clears nothing.
    const challengeToken = randomBytes(32).toString('base64url')
    const now = app.clock.now()
    const expiresAt = now + CHALLENGE_TTL_MS
    await app.db.transact(async (trx) => {
      await trx.deleteFrom('login_challenges').where('expires_at', '<=', now).execute()
      await trx
        .insertInto('login_challenges')
        .values({
          token_hash: sha256(challengeToken),
          user_id: user.id,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute()
    })
    return { kind: 'two_factor', challengeToken, expiresAt }
  }
  await app.loginThrottle.recordSuccess(throttleAccount(user.id, input.email), origin.ip)
  return startSession(app, user.id, origin)
}

/** A failed sign-in, for the audit log: who (when the account exists) and, from the request, where from. */
export async function recordFailedSignIn(
  app: App,
  userId: number | null,
  step: 'password' | 'two_factor' | 'current_password',
  origin: Origin,
): Promise<void> {
  await app.db.transact((trx) =>
    insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: userId,
          type: 'auth.login_failed',
          channel: 'web',
          // The email typed is not recorded: people type passwords into the email field.
          after: { step, accountExists: userId !== null },
          at: app.clock.now(),
        },
      ],
      origin,
    ),
  )
}

/**
 * A new session with a fresh random token (never reused across sign-ins), recorded as 'auth.login'. The
 * address it came from becomes one the account is known at, for the throttle.
 */
export async function startSession(app: App, userId: number, origin: Origin): Promise<SessionGrant> {
  const user = await findUserById(app.db.read, userId)
  if (!user) throw invalidCredentials()
  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(24).toString('base64url')
  const now = app.clock.now()
  // The security policy's lifetime (30 days unless an admin chose otherwise).
  const expiresAt = now + (await sessionLifetimeHours(app.db.read)) * 3_600_000
  await app.db.transact(async (trx) => {
    await insertSession(trx, {
      id: randomBytes(12).toString('base64url'),
      tokenHash: sha256(token),
      userId: user.id,
      csrfToken,
      ip: origin.ip,
      userAgent: origin.userAgent,
      at: now,
      expiresAt,
    })
    if (origin.ip !== null) await rememberSignInAddress(trx, user.id, addressKey(origin.ip), now)
    await insertEvents(
      trx,
      [{ ticketId: null, actorId: user.id, type: 'auth.login', channel: 'web', at: now }],
      origin,
    )
  })
  return {
    kind: 'session',
    token,
    csrfToken,
    expiresAt,
    user: { id: user.id, name: user.name, email: user.email, type: user.type, isAdmin: user.is_admin === 1 },
  }
}

/** Ends every session of the user (all browsers and sign-in tokens), except `keepTokenHash` when given. */
export async function endSessions(trx: Kysely<DB>, userId: number, keepTokenHash?: string): Promise<void> {
  await deleteSessionsOf(trx, userId, keepTokenHash)
  await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute()
}

/** `api_key`: an API key used as a Bearer token (routes/http.ts), acting as the admin who made it. */
export type AuthKind = 'cookie' | 'session' | 'access_token' | 'api_key'

export interface Authenticated {
  actor: Actor
  kind: 'session' | 'access_token'
  csrfToken: string
  /** The scopes of a personal access token; a session holds every scope. */
  scopes: readonly Scope[]
  /** The personal access token's id (its API rate limit is counted under it). */
  tokenId?: number
  twoFactorEnrolled: boolean
}

const sessionWithUser = reusable((db, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 's.last_seen_at'])
    .select(['u.id', 'u.type', 'u.name', 'u.email', 'u.is_active', 'u.is_admin'])
    .select(['u.organization_id', 'u.primary_department_id', 'u.totp_enabled'])
    .where('s.token_hash', '=', tokenHash),
)

/** The actor behind a session or access token, or undefined when it is unknown, expired, revoked or disabled. */
export async function authenticate(app: App, token: string): Promise<Authenticated | undefined> {
  const db = app.db.read
  const now = app.clock.now()
  let kind: Authenticated['kind'] = 'session'
  let scopes: readonly Scope[] = ['read', 'write', 'admin']
  let csrfToken = ''
  let tokenId: number | undefined
  let user: Awaited<ReturnType<typeof findUserById>>
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const found = await findAccessToken(app, token)
    if (!found) return undefined
    kind = 'access_token'
    scopes = found.scopes
    tokenId = found.id
    user = await findUserById(db, found.userId)
    // Access tokens are for agents; one left over from an account that became a customer grants nothing.
    if (user?.type !== 'agent') return undefined
  } else {
    // One query for the session and its user: this runs on every request.
    const tokenHash = sha256(token)
    const [row] = await sessionWithUser(db, tokenHash)
    if (!row || row.expires_at <= now) return undefined
    // "Last seen" to LAST_SEEN_RESOLUTION_MS: one write per session that often, not one per request.
    if (row.last_seen_at === null || row.last_seen_at < now - LAST_SEEN_RESOLUTION_MS) {
      app.db
        .transact((trx) => touchSession(trx, tokenHash, now))
        .catch((error: unknown) => console.error('session: could not record last use', error))
    }
    csrfToken = row.csrf_token
    user = row
  }
  const actor = await actorOf(db, user)
  return (
    actor && {
      kind,
      csrfToken,
      scopes,
      twoFactorEnrolled: user!.totp_enabled === 1,
      actor,
      ...(tokenId !== undefined ? { tokenId } : {}),
    }
  )
}

/** The actor for a user id (API keys and inbound mail), or undefined when the user is missing or disabled. */
export async function loadActor(db: Kysely<DB>, userId: number): Promise<Actor | undefined> {
  return actorOf(db, await findUserById(db, userId))
}

type UserFacts = Pick<
  NonNullable<Awaited<ReturnType<typeof findUserById>>>,
  'id' | 'type' | 'name' | 'email' | 'is_active' | 'is_admin' | 'organization_id' | 'primary_department_id'
>

async function actorOf(db: Kysely<DB>, user: UserFacts | undefined): Promise<Actor | undefined> {
  if (!user || user.is_active !== 1) return undefined
  if (user.type === 'customer') {
    return {
      kind: 'customer',
      id: user.id,
      name: user.name,
      email: user.email,
      organizationId: user.organization_id,
    }
  }
  const [roles, teamIds] = await Promise.all([rolesOf(db, [user.id]), teamIdsOf(db, user.id)])
  return {
    kind: 'agent',
    id: user.id,
    name: user.name,
    email: user.email,
    isAdmin: user.is_admin === 1,
    primaryDepartmentId: user.primary_department_id,
    roles: roles.get(user.id) ?? new Map(),
    teamIds,
  }
}
