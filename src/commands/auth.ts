import { createHash, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { findUserByEmail, findUserById, rolesOf, teamIdsOf } from '../repositories/userRepo.ts'
import { email, text } from './fields.ts'

export const Login = z.object({ email: z.string().max(254), password: text(1024) })
export type Login = z.infer<typeof Login>

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const
const SESSION_TTL_MS = 30 * 24 * 3600_000

export const hashPassword = (password: string) => hash(password, ARGON2)

// Verified against when the email is unknown, so a wrong email and a wrong password take the same time.
let dummyHash: Promise<string> | undefined

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex')

const invalidCredentials = () =>
  new AppError(
    'unauthenticated',
    'invalid_credentials',
    'Access denied: the email or password is not correct.',
  )

export interface SessionGrant {
  token: string
  csrfToken: string
  expiresAt: number
  user: { id: number; name: string; email: string; type: 'agent' | 'customer'; isAdmin: boolean }
}

export async function login(app: App, input: Login, client: { ip: string }): Promise<SessionGrant> {
  const wait = app.loginThrottle.retryAfter(input.email, client.ip)
  if (wait > 0) {
    throw new AppError(
      'too_many_requests',
      'too_many_attempts',
      `Too many failed sign-ins. Try again in ${wait} seconds.`,
      undefined,
      { 'retry-after': String(wait) },
    )
  }
  const parsedEmail = email.safeParse(input.email)
  const user = parsedEmail.success ? await findUserByEmail(app.db.read, parsedEmail.data) : undefined
  const stored = user?.password_hash ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))))
  const matches = await verify(stored, input.password).catch(() => false)
  if (!user || !user.password_hash || !matches || user.is_active !== 1) {
    app.loginThrottle.recordFailure(input.email, client.ip)
    throw invalidCredentials()
  }
  app.loginThrottle.recordSuccess(input.email)
  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(24).toString('base64url')
  const now = app.clock.now()
  const expiresAt = now + SESSION_TTL_MS
  await app.db.transact(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({
        token_hash: sha256(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute()
    await trx
      .insertInto('events')
      .values({ ticket_id: null, actor_id: user.id, type: 'auth.login', channel: 'web', created_at: now })
      .execute()
  })
  return {
    token,
    csrfToken,
    expiresAt,
    user: { id: user.id, name: user.name, email: user.email, type: user.type, isAdmin: user.is_admin === 1 },
  }
}

export async function logout(app: App, token: string): Promise<void> {
  await app.db.transact(async (trx) => {
    await trx.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute()
  })
}

export interface Authenticated {
  actor: Actor
  csrfToken: string
}

/** The actor behind a session token, or undefined when the token is unknown, expired or its user disabled. */
export async function authenticate(app: App, token: string): Promise<Authenticated | undefined> {
  const db = app.db.read
  const session = await db
    .selectFrom('sessions')
    .select(['user_id', 'csrf_token', 'expires_at'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!session || session.expires_at <= app.clock.now()) return undefined
  const actor = await loadActor(db, session.user_id)
  return actor ? { csrfToken: session.csrf_token, actor } : undefined
}

/** The actor for a user id (sessions, API keys and inbound mail), or undefined when the user is disabled. */
export async function loadActor(db: Kysely<DB>, userId: number): Promise<Actor | undefined> {
  const user = await findUserById(db, userId)
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
