// Sign-in sessions: stored by the sha256 of their token (the token itself is never stored), each with a public id
// that the person's session list shows and ends it by.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface NewSession {
  id: string
  tokenHash: string
  userId: number
  csrfToken: string
  ip: string | null
  userAgent: string | null
  at: number
  expiresAt: number
}

export async function insertSession(trx: Kysely<DB>, s: NewSession): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      id: s.id,
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      ip: s.ip,
      user_agent: s.userAgent,
      created_at: s.at,
      last_seen_at: s.at,
      expires_at: s.expiresAt,
    })
    .execute()
}

export interface SessionRow {
  id: string
  token_hash: string
  ip: string | null
  user_agent: string | null
  created_at: number
  last_seen_at: number | null
  expires_at: number
}

/** The user's sessions that have not expired, most recently seen first (a person has a handful). */
export function liveSessionsOf(db: Kysely<DB>, userId: number, now: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .select(['id', 'token_hash', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute()
}

/** Deletes one session of the user by its public id; the token hash of what was deleted, or undefined. */
export async function deleteSessionById(
  trx: Kysely<DB>,
  userId: number,
  id: string,
): Promise<string | undefined> {
  const row = await trx
    .deleteFrom('sessions')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('token_hash')
    .executeTakeFirst()
  return row?.token_hash
}

export async function deleteSessionByTokenHash(trx: Kysely<DB>, tokenHash: string): Promise<boolean> {
  const result = await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

/** Every session of the user, except `keepTokenHash` when given. */
export async function deleteSessionsOf(
  trx: Kysely<DB>,
  userId: number,
  keepTokenHash?: string,
): Promise<void> {
  await trx
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(keepTokenHash !== undefined, (q) => q.where('token_hash', '<>', keepTokenHash!))
    .execute()
}

export async function touchSession(trx: Kysely<DB>, tokenHash: string, at: number): Promise<void> {
  await trx.updateTable('sessions').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute()
}
