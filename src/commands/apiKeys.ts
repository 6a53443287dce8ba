// API keys for integrations: the osTicket API, and Bearer use on the REST API (issue 18). A key is 256 random
// bits, shown once, stored as its sha256 (a slow hash buys nothing for a random key and would cost every
// request). Each key has scopes, optional allowed IP ranges (osTicket allows one exact IP), a last-used time,
// and can be revoked.
import { createHash, randomBytes } from 'node:crypto'
import { BlockList, isIP } from 'node:net'
import { z } from 'zod'
import type { App } from '../app.ts'
import { AppError, notFound } from '../errors.ts'
import { text } from './fields.ts'
import { loadActor } from './auth.ts'

// The scopes and what each allows are defined once in src/shared/access.ts (the admin console imports them too).
import { API_KEY_SCOPES, API_KEY_SCOPE_DESCRIPTIONS, type ApiKeyScope } from '../shared/access.ts'
export { API_KEY_SCOPES, API_KEY_SCOPE_DESCRIPTIONS, type ApiKeyScope }

export const API_KEY_PREFIX = 'sbk_'
/** The prefix and 43 base64url characters (256 bits) of a key we made. */
const KEY_LENGTH = API_KEY_PREFIX.length + 43

/**
 * Whether a Bearer token is an API key. The length matters: a session token is 43 base64url characters and
 * one in 2^24 of them starts with `sbk_` by chance; only a key is 47 long.
 */
export const isApiKeyToken = (token: string) =>
  token.startsWith(API_KEY_PREFIX) && token.length === KEY_LENGTH

/**
 * The scopes, any one of which lets a key used as `Authorization: Bearer sbk_…` call this route; none for a
 * route that keys may not call at all. A key acts as the admin who made it, within these scopes.
 */
export function apiKeyScopesFor(method: string, routeUrl: string): readonly ApiKeyScope[] {
  const read = method === 'GET' || method === 'HEAD'
  if (routeUrl === '/api/v1/tickets' && method === 'POST') return ['tickets:create', 'tickets:write']
  if (routeUrl === '/api/v1/tickets' || routeUrl.startsWith('/api/v1/tickets/'))
    return read ? ['tickets:read'] : ['tickets:write']
  if (routeUrl === '/api/v1/queues') return read ? ['tickets:read'] : []
  if (routeUrl === '/api/v1/departments' || routeUrl === '/api/v1/statuses')
    return read ? ['tickets:read', 'users:read'] : []
  if (routeUrl === '/api/v1/agents') return read ? ['users:read'] : []
  if (/^\/api\/v1\/admin\/(customers|organizations)(\/:id)?$/.test(routeUrl))
    return read ? ['users:read'] : method === 'POST' || method === 'PATCH' ? ['users:write'] : []
  return []
}

const ipRange = z
  .string()
  .max(64)
  .refine((s) => parseRange(s) !== undefined, { message: 'must be an IP address or a CIDR range' })

export const CreateApiKey = z.object({
  name: text(128),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1)
    .describe(
      'What the key may do: ' +
        API_KEY_SCOPES.map((s) => `\`${s}\`: ${API_KEY_SCOPE_DESCRIPTIONS[s]}`).join('; ') +
        '. A key used as a Bearer token acts as the admin who made it, within its scopes.',
    ),
  allowedIps: z
    .array(ipRange)
    .max(50)
    .optional()
    .describe(
      'Addresses or CIDR ranges (203.0.113.0/24, 2001:db8::/32) the key may be used from; empty: any',
    ),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('After this moment the key is refused (401 invalid_api_key); omitted: it never expires'),
})
export type CreateApiKey = z.infer<typeof CreateApiKey>

function parseRange(s: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | undefined {
  const [address, bits] = s.trim().split('/')
  const family = isIP(address ?? '')
  if (!address || family === 0) return undefined
  const type = family === 4 ? 'ipv4' : 'ipv6'
  const max = family === 4 ? 32 : 128
  const prefix = bits === undefined ? max : Number(bits)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined
  return { address, prefix, type }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export async function createApiKey(
  app: App,
  input: CreateApiKey,
  createdBy: number | null,
): Promise<{ id: number; key: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  const row = await app.db.transact((trx) =>
    trx
      .insertInto('api_keys')
      .values({
        name: input.name,
        key_hash: sha256(key),
        prefix: key.slice(0, 10),
        scopes: JSON.stringify(input.scopes),
        allowed_ips: input.allowedIps?.length ? JSON.stringify(input.allowedIps) : null,
        expires_at: input.expiresAt === undefined ? null : Date.parse(input.expiresAt),
        created_by: createdBy,
        created_at: app.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  )
  return { id: row.id, key }
}

export async function listApiKeys(app: App) {
  const rows = await app.db.read
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'scopes', 'allowed_ips', 'created_at', 'last_used_at', 'revoked_at'])
    .select('expires_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: JSON.parse(r.scopes) as string[],
    allowedIps: r.allowed_ips === null ? null : (JSON.parse(r.allowed_ips) as string[]),
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at).toISOString(),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
  }))
}

export async function revokeApiKey(app: App, id: number): Promise<void> {
  const done = await app.db.transact(async (trx) => {
    const r = await trx
      .updateTable('api_keys')
      .set({ revoked_at: app.clock.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) > 0
  })
  if (!done) throw notFound('API key')
}

const keyProblem = (message: string) => new AppError('unauthenticated', 'invalid_api_key', message)

/**
 * Checks a key for a scope (any of `scopes`; none: any scope, checked by the caller) from an address; records
 * its use. Every problem is a 401, as in osTicket.
 */
export async function authenticateApiKey(
  app: App,
  key: string | undefined,
  scope: ApiKeyScope | undefined,
  ip: string,
): Promise<{ id: number; name: string; scopes: ApiKeyScope[]; createdBy: number | null }> {
  if (!key) throw keyProblem('Valid API key required')
  const row = await app.db.read
    .selectFrom('api_keys')
    .select(['id', 'name', 'scopes', 'allowed_ips', 'revoked_at', 'created_by', 'expires_at'])
    .where('key_hash', '=', sha256(key.trim()))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null) throw keyProblem('API key not found or revoked')
  if (row.expires_at !== null && row.expires_at <= app.clock.now()) throw keyProblem('API key expired')
  const scopes = (JSON.parse(row.scopes) as string[]).filter((s): s is ApiKeyScope =>
    (API_KEY_SCOPES as readonly string[]).includes(s),
  )
  if (scope !== undefined && !scopes.includes(scope)) throw keyProblem(`API key lacks the ${scope} scope`)
  if (row.allowed_ips !== null && !ipAllowed(ip, JSON.parse(row.allowed_ips) as string[]))
    throw keyProblem(`API key not allowed from ${ip}`)
  const at = app.clock.now()
  // Coarse on purpose: one write a minute per key, not one per request.
  await app.db.transact((trx) =>
    trx
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at - 60_000)]))
      .execute(),
  )
  return { id: row.id, name: row.name, scopes, createdBy: row.created_by }
}

/** The person a key used as a Bearer token acts as: the admin who made it (a key made on the command line has none). */
export async function apiKeyActor(app: App, key: { createdBy: number | null }) {
  const actor = key.createdBy === null ? undefined : await loadActor(app.db.read, key.createdBy)
  if (!actor || actor.kind !== 'agent')
    throw keyProblem(
      'This API key has no admin to act as (made on the command line, or its maker is disabled); ' +
        'use it on the osTicket API, or make a key in the admin console.',
    )
  return actor
}

export function ipAllowed(ip: string, ranges: string[]): boolean {
  const list = new BlockList()
  for (const r of ranges) {
    const range = parseRange(r)
    if (range) list.addSubnet(range.address, range.prefix, range.type)
  }
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
  const family = isIP(plain)
  if (family === 0) return false
  return list.check(plain, family === 4 ? 'ipv4' : 'ipv6')
}
