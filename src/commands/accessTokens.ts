// Personal access tokens: long-lived Bearer tokens an agent makes for scripts and integrations. Scoped
// (read, write, admin), revocable, optionally expiring, and stored only as a sha256 hash: the token is shown
// once, when it is made. They end when revoked, when the password changes, or when the account is disabled.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { App } from '../app.ts'
import { forbidden, notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { sha256, verifyCurrentPassword } from './auth.ts'
import { nonBlank, text } from './fields.ts'

export const ACCESS_TOKEN_PREFIX = 'sbp_'

// Defined once in src/shared/access.ts (the account screen imports them too).
import { TOKEN_SCOPES as SCOPES, type TokenScope as Scope } from '../shared/access.ts'
export { SCOPES, type Scope }

/**
 * The scope a request needs, decided from the route table alone so that every route, present and future, is
 * covered: reading needs `read`, changing needs `write`, and admin routes need `admin` besides.
 */
export function scopeNeededFor(method: string, adminRoute: boolean): Scope {
  if (adminRoute) return 'admin'
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write'
}

export const CreateAccessToken = z.object({
  /** A token outlives sign-out, so making one asks for the password, as a password change does. */
  currentPassword: text(1024),
  name: nonBlank(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
})
export type CreateAccessToken = z.infer<typeof CreateAccessToken>

export interface AccessTokenInfo {
  id: number
  name: string
  prefix: string
  scopes: Scope[]
  createdAt: number
  expiresAt: number | null
  lastUsedAt: number | null
}

const parseScopes = (json: string): Scope[] =>
  (JSON.parse(json) as string[]).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s))

/** Only a signed-in person may manage tokens: a token cannot mint or revoke tokens. */
function requireAgentSession(actor: Actor, viaAccessToken: boolean): void {
  if (actor.kind !== 'agent') throw forbidden('Only agents have personal access tokens.')
  if (viaAccessToken) throw forbidden('Manage access tokens from a signed-in session, not with a token.')
}

export async function createAccessToken(
  app: App,
  actor: Actor,
  input: CreateAccessToken,
  viaAccessToken: boolean,
): Promise<{ token: string; info: AccessTokenInfo }> {
  requireAgentSession(actor, viaAccessToken)
  await verifyCurrentPassword(app, actor, input.currentPassword)
  const token = ACCESS_TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const at = app.clock.now()
  const scopes = [...new Set(input.scopes)]
  const expiresAt = input.expiresInDays === undefined ? null : at + input.expiresInDays * 86_400_000
  const prefix = token.slice(0, ACCESS_TOKEN_PREFIX.length + 6)
  const id = await app.db.transact(async (trx) => {
    const row = await trx
      .insertInto('access_tokens')
      .values({
        user_id: actor.id,
        name: input.name,
        token_hash: sha256(token),
        prefix,
        scopes: JSON.stringify(scopes),
        created_at: at,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: actor.id,
          type: 'auth.access_token_created',
          channel: 'web',
          after: { tokenId: row.id, name: input.name, scopes },
          at,
        },
      ],
      actor.origin,
    )
    return row.id
  })
  return {
    token,
    info: { id, name: input.name, prefix, scopes, createdAt: at, expiresAt, lastUsedAt: null },
  }
}

export async function listAccessTokens(app: App, actor: Actor): Promise<AccessTokenInfo[]> {
  const rows = await app.db.read
    .selectFrom('access_tokens')
    .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at'])
    .where('user_id', '=', actor.id)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: parseScopes(r.scopes),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
  }))
}

export async function revokeAccessToken(
  app: App,
  actor: Actor,
  tokenId: number,
  viaAccessToken: boolean,
): Promise<void> {
  requireAgentSession(actor, viaAccessToken)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const result = await trx
      .updateTable('access_tokens')
      .set({ revoked_at: at })
      .where('id', '=', tokenId)
      .where('user_id', '=', actor.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    // Someone else's token and a missing one answer alike.
    if (Number(result.numUpdatedRows) !== 1) throw notFound('access token')
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: actor.id,
          type: 'auth.access_token_revoked',
          channel: 'web',
          after: { tokenId },
          at,
        },
      ],
      actor.origin,
    )
  })
}

const LAST_USED_RESOLUTION_MS = 3600_000

/** The owner and scopes of a live token, or undefined when unknown, revoked or expired. */
export async function findAccessToken(
  app: App,
  token: string,
): Promise<{ id: number; userId: number; scopes: Scope[] } | undefined> {
  if (token.length > 200) return undefined
  const now = app.clock.now()
  const row = await app.db.read
    .selectFrom('access_tokens')
    .select(['id', 'user_id', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return undefined
  // "Last used" to the hour: one write an hour per token, not one per request.
  if (row.last_used_at === null || row.last_used_at < now - LAST_USED_RESOLUTION_MS) {
    app.db
      .transact((trx) =>
        trx.updateTable('access_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute(),
      )
      .catch((error: unknown) => console.error('access token: could not record last use', error))
  }
  return { id: row.id, userId: row.user_id, scopes: parseScopes(row.scopes) }
}
