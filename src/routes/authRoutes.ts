import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { Login, login, logout } from '../commands/auth.ts'
import { ErrorOut, requireActor, SESSION_COOKIE } from './http.ts'

const UserOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  type: z.enum(['agent', 'customer']),
  isAdmin: z.boolean(),
})

export function authRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/api/v1/auth/login',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        description:
          'Returns a token usable as `Authorization: Bearer`, and sets the session cookie. A wrong email or password ' +
          'both answer 401 `invalid_credentials`; repeated failures answer 429 with Retry-After.',
        body: Login,
        response: {
          200: z.object({ token: z.string(), csrfToken: z.string(), user: UserOut }),
          400: ErrorOut,
          401: ErrorOut,
          429: ErrorOut,
        },
      },
    },
    async (req, reply) => {
      const grant = await login(app, req.body, { ip: req.ip })
      void reply.setCookie(SESSION_COOKIE, grant.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        expires: new Date(grant.expiresAt),
      })
      return { token: grant.token, csrfToken: grant.csrfToken, user: grant.user }
    },
  )

  r.post(
    '/api/v1/auth/logout',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends this session or token',
        response: { 204: z.null(), 401: ErrorOut },
      },
    },
    async (req, reply) => {
      if (req.sessionToken) await logout(app, req.sessionToken)
      void reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/auth/me',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in',
        response: {
          200: z.object({
            user: UserOut,
            csrfToken: z.string().describe('Send it as X-CSRF-Token on changes made with the session cookie'),
            departments: z.array(z.object({ id: z.number(), permissions: z.array(z.string()) })),
          }),
          401: ErrorOut,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req)
      return {
        user: {
          id: actor.id,
          name: actor.name,
          email: actor.email,
          type: actor.kind,
          isAdmin: actor.kind === 'agent' && actor.isAdmin,
        },
        csrfToken: req.csrfToken ?? '',
        departments:
          actor.kind === 'agent'
            ? [...actor.roles].map(([id, perms]) => ({ id, permissions: [...perms].sort() }))
            : [],
      }
    },
  )
}
