// A person's own sign-in sessions: list them, end one, end this one (Sign out), end all (Sign out everywhere).
// Sessions are known by a public id; the token and its hash never leave the server. Personal access tokens are
// not sessions: they stay until revoked (or until the password changes).
import type { Kysely } from 'kysely'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import {
  deleteSessionById,
  deleteSessionByTokenHash,
  liveSessionsOf,
  type SessionRow,
} from '../repositories/sessionRepo.ts'
import { endSessions, sha256 } from './auth.ts'

export interface SessionInfo {
  id: string
  ip: string | null
  userAgent: string | null
  createdAt: number
  lastSeenAt: number
  expiresAt: number
  /** The session the request came with. */
  current: boolean
}

const infoOf = (row: SessionRow, currentHash: string | undefined): SessionInfo => ({
  id: row.id,
  ip: row.ip,
  userAgent: row.user_agent,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at ?? row.created_at,
  expiresAt: row.expires_at,
  current: row.token_hash === currentHash,
})

/** `sessionToken`: the token the request came with, when it came with a session (not an access token). */
export async function listMySessions(
  app: App,
  actor: Actor,
  sessionToken: string | undefined,
): Promise<SessionInfo[]> {
  const currentHash = sessionToken === undefined ? undefined : sha256(sessionToken)
  const rows = await liveSessionsOf(app.db.read, actor.id, app.clock.now())
  return rows.map((r) => infoOf(r, currentHash))
}

const recordLogout = (trx: Kysely<DB>, app: App, actor: Actor, after: Record<string, unknown>) =>
  insertEvents(
    trx,
    [{ ticketId: null, actorId: actor.id, type: 'auth.logout', channel: 'web', after, at: app.clock.now() }],
    actor.origin,
  )

/** Ends one of the actor's sessions by its id; someone else's session and a missing one are alike "not found". */
export async function endMySession(
  app: App,
  actor: Actor,
  sessionId: string,
  sessionToken: string | undefined,
): Promise<{ current: boolean }> {
  return app.db.transact(async (trx) => {
    const ended = await deleteSessionById(trx, actor.id, sessionId)
    if (ended === undefined) throw notFound('session')
    await recordLogout(trx, app, actor, { scope: 'session', sessionId })
    return { current: sessionToken !== undefined && ended === sha256(sessionToken) }
  })
}

/** Sign out: ends the session the request came with, and only that one. */
export async function logout(app: App, actor: Actor, sessionToken: string | undefined): Promise<void> {
  await app.db.transact(async (trx) => {
    if (sessionToken !== undefined) await deleteSessionByTokenHash(trx, sha256(sessionToken))
    await recordLogout(trx, app, actor, { scope: 'this_session' })
  })
}

/** Sign out everywhere: every session and pending two-factor sign-in of the account, this one included. */
export async function logoutEverywhere(app: App, actor: Actor): Promise<void> {
  await app.db.transact(async (trx) => {
    await endSessions(trx, actor.id)
    await recordLogout(trx, app, actor, { scope: 'everywhere' })
  })
}
