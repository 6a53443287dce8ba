// The account's own security: password change and reset, two-factor sign-in, personal access tokens.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import {
  CreateAccessToken,
  createAccessToken,
  listAccessTokens,
  revokeAccessToken,
  SCOPES,
  type AccessTokenInfo,
} from '../commands/accessTokens.ts'
import {
  ChangePassword,
  changePassword,
  RequestPasswordReset,
  requestPasswordReset,
  ResetPassword,
  resetPassword,
} from '../commands/passwords.ts'
import {
  confirmTwoFactor,
  DisableTwoFactor,
  disableTwoFactor,
  enrolTwoFactor,
  TwoFactorCode,
} from '../commands/twoFactor.ts'
import { iso8601 } from '../presenters/ticketPresenter.ts'
import { ErrorOut, originOf, requireActor, requireAgent, SESSION_COOKIE } from './http.ts'
import { SetSignature, setMySignature } from '../commands/signatures.ts'
import { withDeliveryNote } from '../mail/transport.ts'
import { endMySession, listMySessions } from '../commands/sessions.ts'
import { presentSession, SessionOut } from '../presenters/sessionPresenter.ts'
import { agentSignatures } from '../repositories/userRepo.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }

const AccessTokenOut = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('To the hour'),
})
const presentAccessToken = (t: AccessTokenInfo): z.infer<typeof AccessTokenOut> => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  createdAt: iso8601(t.createdAt),
  expiresAt: t.expiresAt === null ? null : iso8601(t.expiresAt),
  lastUsedAt: t.lastUsedAt === null ? null : iso8601(t.lastUsedAt),
})

export const RESET_REQUESTED_MESSAGE =
  'If that address belongs to an account, a link to set a new password is on its way. It works once, for 30 minutes.'

export function accountRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  const SignatureOut = z.object({
    signature: z.string().nullable().describe('Added under my public replies; null: none'),
    departments: z
      .array(z.object({ id: z.number(), name: z.string(), signature: z.string() }))
      .describe('The department signatures added after mine, in the departments I work in that have one'),
  })
  const signatureOf = async (agentId: number): Promise<z.infer<typeof SignatureOut>> => {
    const { mine, departments } = await agentSignatures(app.db.read, agentId)
    return {
      signature: mine?.signature ?? null,
      departments: departments.map((d) => ({ id: d.id, name: d.name, signature: d.signature ?? '' })),
    }
  }
  r.get(
    '/api/v1/me/signature',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['account'],
        summary: 'My signature, and the department signatures added to my public replies',
        response: { 200: SignatureOut, 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (req) => signatureOf(requireAgent(req).id),
  )
  r.put(
    '/api/v1/me/signature',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['account'],
        summary: 'Set or remove my signature',
        body: SetSignature,
        response: { 200: SignatureOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (req) => {
      const agent = requireAgent(req)
      await setMySignature(app, agent, req.body, { channel: req.channel })
      return signatureOf(agent.id)
    },
  )

  r.post(
    '/api/v1/auth/password',
    {
      config: { policy: 'signed_in', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        description:
          'Needs the current password. Ends every other session and revokes every personal access token; this ' +
          'session stays signed in. Not allowed with an access token. Wrong passwords count in the sign-in ' +
          'throttle (429 with Retry-After).',
        body: ChangePassword,
        response: { 204: z.null(), ...errors, 429: ErrorOut },
      },
    },
    async (req, reply) => {
      await changePassword(app, requireActor(req), req.body, { token: req.sessionToken })
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/auth/password-reset',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Email me a link to set a new password',
        description: 'Answers the same whether or not the address has an account.',
        body: RequestPasswordReset,
        response: { 202: z.object({ message: z.string() }), 400: ErrorOut },
      },
    },
    async (req, reply) => {
      await requestPasswordReset(app, req.body, originOf(req))
      return reply.code(202).send({ message: withDeliveryNote(app, RESET_REQUESTED_MESSAGE) })
    },
  )

  r.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token from the reset link',
        description:
          'The link works once, for 30 minutes. Every session and access token of the account ends.',
        body: ResetPassword,
        response: { 204: z.null(), 400: ErrorOut },
      },
    },
    async (req, reply) => {
      await resetPassword(app, req.body, originOf(req))
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/auth/two-factor/enrol',
    {
      config: { policy: 'agent', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Start two-factor enrolment',
        description:
          'Returns a new TOTP secret and its otpauth:// URL for an authenticator app. Nothing changes until ' +
          'POST /api/v1/auth/two-factor/confirm receives a code from the app.',
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }), ...errors, 409: ErrorOut },
      },
    },
    async (req) => enrolTwoFactor(app, requireActor(req), req.authKind === 'access_token'),
  )

  r.post(
    '/api/v1/auth/two-factor/confirm',
    {
      config: { policy: 'agent', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor sign-in on with a first code',
        description:
          'Returns ten single-use recovery codes. They are shown only this once. Every other session, ' +
          'personal access token and open reset or ticket link of the account ends; this session stays.',
        body: TwoFactorCode,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errors, 409: ErrorOut },
      },
    },
    async (req) => confirmTwoFactor(app, requireActor(req), req.body.code, { token: req.sessionToken }),
  )

  r.post(
    '/api/v1/auth/two-factor/disable',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor sign-in off',
        description:
          'Needs the current password and a current code from the authenticator app (or an unused recovery ' +
          'code); wrong ones answer 403 `wrong_password` or `invalid_two_factor` and count in the sign-in ' +
          'throttle (429 with Retry-After). The recovery codes are deleted.',
        body: DisableTwoFactor,
        response: { 204: z.null(), ...errors, 409: ErrorOut, 429: ErrorOut },
      },
    },
    async (req, reply) => {
      await disableTwoFactor(app, requireActor(req), req.body, req.authKind === 'access_token')
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/auth/tokens',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'My personal access tokens',
        response: { 200: z.object({ items: z.array(AccessTokenOut) }), ...errors },
      },
    },
    async (req) => ({ items: (await listAccessTokens(app, requireActor(req))).map(presentAccessToken) }),
  )

  r.post(
    '/api/v1/auth/tokens',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'Make a personal access token',
        description:
          'Send it as `Authorization: Bearer sbp_…`. Scopes: `read` (GET), `write` (changes), `admin` (admin ' +
          'routes, for admins). The token is in this response only; the server keeps a hash. Needs the current ' +
          'password (a token outlives sign-out); wrong ones count in the sign-in throttle.',
        body: CreateAccessToken,
        response: {
          201: z.object({ token: z.string(), accessToken: AccessTokenOut }),
          ...errors,
          429: ErrorOut,
        },
      },
    },
    async (req, reply) => {
      const made = await createAccessToken(app, requireActor(req), req.body, req.authKind === 'access_token')
      return reply.code(201).send({ token: made.token, accessToken: presentAccessToken(made.info) })
    },
  )

  r.delete(
    '/api/v1/auth/tokens/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke a personal access token',
        params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
        response: { 204: z.null(), ...errors, 404: ErrorOut },
      },
    },
    async (req, reply) => {
      await revokeAccessToken(app, requireActor(req), req.params.id, req.authKind === 'access_token')
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/me/sessions',
    {
      config: { policy: 'signed_in', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['account'],
        summary: 'My active sessions',
        description:
          'Every browser or program signed in to my account, most recently seen first, with where it signed in ' +
          'from. `current` marks the session of this request. Tokens are never shown.',
        response: { 200: z.object({ items: z.array(SessionOut) }), 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (req) => ({
      items: (await listMySessions(app, requireActor(req), req.sessionToken)).map(presentSession),
    }),
  )

  r.delete(
    '/api/v1/me/sessions/:id',
    {
      config: { policy: 'signed_in', beforeTwoFactorEnrolment: true },
      schema: {
        tags: ['account'],
        summary: 'Sign one of my sessions out',
        description: 'Ending the current session signs this request out as POST /api/v1/auth/logout does.',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 204: z.null(), 401: ErrorOut, 403: ErrorOut, 404: ErrorOut },
      },
    },
    async (req, reply) => {
      const { current } = await endMySession(app, requireActor(req), req.params.id, req.sessionToken)
      if (current) void reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  )
}
