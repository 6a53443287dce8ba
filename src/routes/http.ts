// The HTTP plumbing every route shares: who is asking (session cookie or Bearer token), the route's access
// policy, CSRF for cookie sessions, and the one mapping from errors to responses.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { authenticate, type AuthKind } from '../commands/auth.ts'
import { scopeNeededFor } from '../commands/accessTokens.ts'
import { apiKeyActor, apiKeyScopesFor, authenticateApiKey, isApiKeyToken } from '../commands/apiKeys.ts'
import { rateLimitHeaders, spendRateLimit, type RateLimitSubject } from '../commands/rateLimits.ts'
import { agentTwoFactorRequired } from '../commands/twoFactor.ts'
import { databaseUnavailable } from '../db/availability.ts'
import { AppError, unauthenticated, VersionConflict } from '../errors.ts'
import type { Origin } from '../domain/origin.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { presentTicket } from '../presenters/ticketPresenter.ts'
import type { TicketListRow } from '../repositories/ticketRepo.ts'
import type { Channel } from '../repositories/eventRepo.ts'

export const SESSION_COOKIE = 'sb_session'

/** Who may call a route at all. Finer rules (which ticket, which permission) live in policies/ and commands/. */
export type RoutePolicy = 'public' | 'signed_in' | 'agent' | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy
    /**
     * Reachable by an agent who must enrol in two-factor sign-in (an admin requires it) and has not yet:
     * the enrolment routes, sign-out and "who am I". Every other route answers 403 until they enrol.
     */
    beforeTwoFactorEnrolment?: boolean
  }
  interface FastifyRequest {
    actor: Actor | undefined
    sessionToken: string | undefined
    /** The session's CSRF token, which the web app echoes in X-CSRF-Token. */
    csrfToken: string | undefined
    /** How the actor proved who they are: a cookie session, a sign-in token, or a personal access token. */
    authKind: AuthKind | undefined
    /** Whether the signed-in agent has two-factor sign-in on. */
    twoFactorEnabled: boolean
    channel: Channel
  }
  interface FastifyInstance {
    /** Every route with its access policy, collected as routes are added (the access-matrix test reads it). */
    routeTable: RouteEntry[]
  }
}

export interface RouteEntry {
  method: string
  url: string
  policy: RoutePolicy
}

export const ErrorOut = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
})

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Must be called before any route or route-adding plugin (swagger-ui) is registered: the policy check below
 * only sees routes added after it.
 */
export function registerHttpBasics(server: FastifyInstance, app: App): void {
  server.decorateRequest('actor', undefined)
  server.decorateRequest('sessionToken', undefined)
  server.decorateRequest('csrfToken', undefined)
  server.decorateRequest('authKind', undefined)
  server.decorateRequest('twoFactorEnabled', false)
  server.decorateRequest('channel', 'web')
  const routes: RouteEntry[] = []
  server.decorate('routeTable', routes)

  // Every route must declare a policy: a route without one fails at startup, so none can ship unguarded.
  server.addHook('onRoute', (route) => {
    // swagger-ui's own routes (the documentation pages) are public by nature and cannot be given a config.
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.config = { ...route.config, policy: 'public' }
    }
    const policy = route.config?.policy
    if (!policy) throw new Error(`Route ${String(route.method)} ${route.url} declares no access policy`)
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, policy })
  })

  server.addHook('onSend', async (req, reply) => {
    // API answers are personal: never stored by a shared cache or the browser's disk cache.
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store')
  })

  // preValidation, not preHandler: who is asking is settled before the body is validated, so an anonymous
  // caller gets 401 whatever they send, and learns nothing about a route's schema.
  server.addHook('preValidation', async (req, reply) => {
    // No route matched: the not-found handler answers 404 to everyone. Guarding it (it has no policy, so it
    // would count as admin-only) told a signed-in non-admin 403 `admins_only` and anyone else 401.
    if (req.is404) return
    const config = req.routeOptions.config
    const policy = config.policy ?? 'admin'
    const header = req.headers.authorization
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
    const cookie = req.cookies[SESSION_COOKIE]
    const token = bearer || cookie
    const spend = async (subject: RateLimitSubject) => {
      const state = await spendRateLimit(app, subject)
      if (state) void reply.headers(rateLimitHeaders(state))
    }
    if (bearer && isApiKeyToken(bearer)) {
      // An API key as a Bearer token: its scopes name the routes it may call (apiKeys.ts); anything else is
      // refused, public routes included, so a key never reaches sign-in, tokens or passwords.
      const key = await authenticateApiKey(app, bearer, undefined, clientIp(req))
      await spend({ kind: 'api_key', id: key.id })
      const allowed = apiKeyScopesFor(req.method, req.routeOptions.url ?? '')
      if (!allowed.some((s) => key.scopes.includes(s))) {
        throw new AppError(
          'forbidden',
          'insufficient_scope',
          allowed.length === 0
            ? 'API keys cannot call this route.'
            : `This API key lacks the scope this request needs (${allowed.map((s) => `"${s}"`).join(' or ')}).`,
        )
      }
      req.actor = { ...(await apiKeyActor(app, key)), origin: originOf(req) }
      req.authKind = 'api_key'
      req.channel = 'api'
    } else if (token) {
      const auth = await authenticate(app, token)
      if (auth) {
        // A cookie is sent by the browser on its own, so a state-changing request must also prove it came
        // from our page: the CSRF token that only our page can read. Bearer tokens are never sent implicitly.
        if (!bearer && UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== auth.csrfToken) {
          throw new AppError(
            'forbidden',
            'csrf_failed',
            'Missing or wrong X-CSRF-Token header for a cookie session.',
          )
        }
        req.actor = { ...auth.actor, origin: originOf(req) }
        req.sessionToken = auth.kind === 'access_token' ? undefined : token
        req.csrfToken = auth.csrfToken
        req.authKind = bearer ? auth.kind : 'cookie'
        req.twoFactorEnabled = auth.twoFactorEnrolled
        req.channel = bearer ? 'api' : 'web'
        // Counted first, so that a request refused below for its scope still spends its token's allowance.
        if (auth.kind === 'access_token' && auth.tokenId !== undefined)
          await spend({ kind: 'token', id: auth.tokenId })
        if (auth.kind === 'access_token' && policy !== 'public') {
          const needed = scopeNeededFor(req.method, policy === 'admin')
          if (!auth.scopes.includes(needed)) {
            throw new AppError(
              'forbidden',
              'insufficient_scope',
              `This access token lacks the "${needed}" scope that this request needs.`,
            )
          }
        }
        if (
          auth.actor.kind === 'agent' &&
          !auth.twoFactorEnrolled &&
          !config.beforeTwoFactorEnrolment &&
          (await agentTwoFactorRequired(app))
        ) {
          throw new AppError(
            'forbidden',
            'two_factor_enrolment_required',
            'An admin requires two-factor sign-in for agents: enrol at POST /api/v1/auth/two-factor/enrol first.',
          )
        }
      }
    }
    // Calls without credentials are counted per address; the osTicket API counts per key instead (its route).
    if (!req.actor && policy === 'public' && req.url.startsWith('/api/') && !req.headers['x-api-key'])
      await spend({ kind: 'ip', address: clientIp(req) })
    if (policy === 'public') return
    if (!req.actor) throw unauthenticated()
    if (policy === 'agent' && req.actor.kind !== 'agent') {
      throw new AppError('forbidden', 'agents_only', 'Only agents can use this.')
    }
    if (policy === 'admin' && !(req.actor.kind === 'agent' && req.actor.isAdmin)) {
      throw new AppError('forbidden', 'admins_only', 'Only admins can use this.')
    }
  })

  server.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } })
  })

  server.setErrorHandler((error: FastifyError, req, reply) => sendError(app, error, req, reply))
}

function sendError(app: App, error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error instanceof VersionConflict) {
    return reply.code(409).send({
      error: { code: error.code, message: error.message },
      ticket: presentTicket(error.current as TicketListRow, app.statuses, {
        defs: app.fields.all(),
        viewer: req.actor?.kind ?? 'customer',
      }),
    })
  }
  if (error instanceof AppError) {
    if (error.headers) void reply.headers(error.headers)
    return reply
      .code(error.status)
      .send({ error: { code: error.code, message: error.message }, ...error.extra })
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message,
    }))
    const first = details[0]
    // A rule with a code of its own (an address that looks like another: `confusable_address`) keeps it.
    const ruleCode = error.validation
      .map((v) => (v.params as { params?: { errorCode?: unknown } }).params?.errorCode)
      .find((c): c is string => typeof c === 'string')
    return reply.code(400).send({
      error: {
        code: ruleCode ?? 'validation_failed',
        message: first ? `${first.path}: ${first.message}` : 'The request is not valid.',
        details,
      },
    })
  }
  const known: Record<string, [number, string, string]> = {
    FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON.'],
    FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The body is empty; send a JSON object.'],
    FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large.'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json.'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'The Content-Length does not match the body.'],
  }
  const mapped = error.code ? known[error.code] : undefined
  if (mapped) return reply.code(mapped[0]).send({ error: { code: mapped[1], message: mapped[2] } })
  if (error instanceof SyntaxError) {
    return reply.code(400).send({ error: { code: 'invalid_json', message: 'The body is not valid JSON.' } })
  }
  const down = databaseUnavailable(error)
  if (down) {
    req.log.warn({ err: error }, `answered 503 ${down.code}`)
    return reply
      .code(503)
      .headers(down.headers ?? {})
      .send({ error: { code: down.code, message: down.message } })
  }
  if ((error as { code?: string }).code === 'SQLITE_BUSY') {
    return reply
      .code(503)
      .header('retry-after', '1')
      .send({ error: { code: 'busy', message: 'The database is busy; try again in a moment.' } })
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: { code: 'bad_request', message: error.message } })
  }
  req.log.error({ err: error }, 'request failed')
  return reply
    .code(500)
    .send({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } })
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated()
  return req.actor
}

export function requireAgent(req: FastifyRequest): AgentActor {
  const actor = requireActor(req)
  if (actor.kind !== 'agent') throw new AppError('forbidden', 'agents_only', 'Only agents can use this.')
  return actor
}

export function clientIp(req: FastifyRequest): string {
  return req.ip
}

/** Where the request came from, for the audit columns of the events it writes. */
export function originOf(req: FastifyRequest): Origin & { ip: string } {
  const agent = req.headers['user-agent']
  return { ip: req.ip, userAgent: agent ? agent.slice(0, 512) : null }
}
