import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { Login, login, type SessionGrant } from '../commands/auth.ts'
import { logout, logoutEverywhere } from '../commands/sessions.ts'
import {
  RedeemTicketLink,
  redeemTicketLink,
  RequestTicketLink,
  requestTicketLink,
} from '../commands/ticketLinks.ts'
import { completeTwoFactorLogin, SecondStep } from '../commands/twoFactor.ts'
import { withDeliveryNote } from '../mail/transport.ts'
import { ErrorOut, originOf, requireActor, SESSION_COOKIE } from './http.ts'

const UserOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  type: z.enum(['agent', 'customer']),
  isAdmin: z.boolean(),
})

const SessionOut = z.object({ token: z.string(), csrfToken: z.string(), user: UserOut })

export const TICKET_LINK_REQUESTED_MESSAGE =
  'If that ticket is yours, we sent a link to that address. It works once, for 30 minutes.'

export function authRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  const grantSession = (reply: FastifyReply, grant: SessionGrant) => {
    void reply.setCookie(SESSION_COOKIE, grant.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: app.config.secureCookies,
      expires: new Date(grant.expiresAt),
    })
    return { token: grant.token, csrfToken: grant.csrfToken, user: grant.user }
  }

  r.post(
    '/api/v1/auth/login',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        description:
          'Returns a token usable as `Authorization: Bearer`, and sets the session cookie. A wrong email or password ' +
          'both answer 401 `invalid_credentials`; repeated failures answer 429 with Retry-After. An agent with ' +
          'two-factor sign-in gets `{twoFactorRequired: true, challengeToken}` instead: send it with a code to ' +
          'POST /api/v1/auth/login/two-factor.',
        body: Login,
        response: {
          200: z.union([
            SessionOut,
            z.object({
              twoFactorRequired: z.literal(true),
              challengeToken: z.string(),
              expiresAt: z.string(),
            }),
          ]),
          400: ErrorOut,
          401: ErrorOut,
          429: ErrorOut,
        },
      },
    },
    async (req, reply) => {
      const grant = await login(app, req.body, originOf(req))
      if (grant.kind === 'two_factor') {
        return {
          twoFactorRequired: true as const,
          challengeToken: grant.challengeToken,
          expiresAt: new Date(grant.expiresAt).toISOString(),
        }
      }
      return grantSession(reply, grant)
    },
  )

  r.post(
    '/api/v1/auth/login/two-factor',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in, second step: a TOTP code or a recovery code',
        description:
          'The `challengeToken` from the password step (valid 5 minutes) and a 6-digit code from the ' +
          'authenticator app, or one unused recovery code. A wrong code answers 401 `invalid_two_factor`.',
        body: SecondStep,
        response: { 200: SessionOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut },
      },
    },
    async (req, reply) => grantSession(reply, await completeTwoFactorLogin(app, req.body, originOf(req))),
  )

  r.post(
    '/api/v1/auth/ticket-link',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: "Email me a sign-in link to my ticket (check a ticket's status)",
        description:
          'For customers without their password. When `email` is an active customer who opened the ticket ' +
          '`number` or collaborates on it, a single-use sign-in link valid 30 minutes is mailed to that address ' +
          '(at most 3 per account per 30 minutes). Answers the same 202 whether or not anything matched: an ' +
          'email and a ticket number alone never reveal or open a ticket.',
        body: RequestTicketLink,
        response: { 202: z.object({ message: z.string() }), 400: ErrorOut },
      },
    },
    async (req, reply) => {
      await requestTicketLink(app, req.body, originOf(req))
      return reply.code(202).send({ message: withDeliveryNote(app, TICKET_LINK_REQUESTED_MESSAGE) })
    },
  )

  r.post(
    '/api/v1/auth/ticket-link/redeem',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with the token of a ticket link',
        description:
          'Starts a customer session, like POST /api/v1/auth/login (the same cookie and answer), and returns the ' +
          'number of the ticket to open. A link works once, for 30 minutes: a used, expired or unknown token ' +
          'answers 400 `invalid_ticket_link`.',
        body: RedeemTicketLink,
        response: { 200: SessionOut.extend({ ticketNumber: z.string() }), 400: ErrorOut },
      },
    },
    async (req, reply) => {
      const { grant, ticketNumber } = await redeemTicketLink(app, req.body, originOf(req))
      return { ...grantSession(reply, grant), ticketNumber }
    },
  )

  r.post(
    '/api/v1/auth/logout',
    {
      config: { policy: 'signed_in', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (this session)',
        description:
          "Ends the session this request came with; the account's other sessions (other browsers and devices) " +
          'stay signed in. To end them too, POST /api/v1/auth/logout-everywhere; to end one, DELETE ' +
          '/api/v1/me/sessions/:id. With a personal access token there is no session to end: revoke the token.',
        response: { 204: z.null(), 401: ErrorOut },
      },
    },
    async (req, reply) => {
      await logout(app, requireActor(req), req.sessionToken)
      void reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/auth/logout-everywhere',
    {
      config: { policy: 'signed_in', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere',
        description:
          'Ends every session of the account, in every browser, this one included, and any two-factor sign-in ' +
          'half done. Personal access tokens stay until revoked (or until the password changes).',
        response: { 204: z.null(), 401: ErrorOut },
      },
    },
    async (req, reply) => {
      await logoutEverywhere(app, requireActor(req))
      void reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/auth/me',
    {
      config: { policy: 'signed_in', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in',
        response: {
          200: z.object({
            user: UserOut,
            csrfToken: z.string().describe('Send it as X-CSRF-Token on changes made with the session cookie'),
            twoFactorEnabled: z.boolean().describe('Two-factor sign-in is on (agents)'),
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
        twoFactorEnabled: req.twoFactorEnabled,
        departments:
          actor.kind === 'agent'
            ? [...actor.roles].map(([id, perms]) => ({ id, permissions: [...perms].sort() }))
            : [],
      }
    },
  )
}
