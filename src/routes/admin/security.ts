// The security policy: two-factor sign-in for every agent, and how long a sign-in lasts.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import {
  getSecurityPolicy,
  SecurityPolicy,
  SecurityPolicyPatch,
  setSecurityPolicy,
} from '../../commands/admin/security.ts'
import { ErrorOut, requireActor } from '../http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }

export function securityRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/security',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The security policy',
        response: { 200: SecurityPolicy, ...errors },
      },
    },
    async (req) => getSecurityPolicy(app, requireActor(req)),
  )
  r.put(
    '/api/v1/admin/security',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Change the security policy',
        description:
          '`requireAgentTwoFactor`: agents without two-factor sign-in can then only enrol, until they do ' +
          '(409 `enrol_two_factor_first` until the admin has it). `sessionLifetimeHours`: how long a sign-in ' +
          'lasts; a shorter one also ends longer sessions already open. Fields left out keep their value.',
        body: SecurityPolicyPatch,
        response: { 200: SecurityPolicy, ...errors, 409: ErrorOut },
      },
    },
    async (req) => setSecurityPolicy(app, requireActor(req), req.body, { channel: req.channel }),
  )
}
