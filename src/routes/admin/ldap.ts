// LDAP / Active Directory sign-in settings in the admin console's API (issue 18). The service account's
// password is accepted, never returned.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  getLdapSettings,
  LdapSettingsIn,
  LdapSettingsOut,
  setLdapSettings,
} from '../../commands/admin/ldapSettings.ts'
import { testLdapConnection } from '../../commands/ldapSignIn.ts'
import { ErrorOut, requireActor } from '../http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }
const admin = { policy: 'admin' } as const
const tags = ['admin', 'identity']

export function ldapRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/ldap',
    {
      config: admin,
      schema: {
        tags,
        summary: 'LDAP / Active Directory sign-in settings (null: never set up)',
        response: { 200: z.object({ settings: LdapSettingsOut.nullable() }), ...errors },
      },
    },
    async (req) => ({ settings: await getLdapSettings(app, requireActor(req)) }),
  )
  r.put(
    '/api/v1/admin/ldap',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Set the LDAP / Active Directory sign-in settings',
        description:
          'Agents then sign in on the usual form with their directory password: the service account finds them ' +
          'by `emailAttribute` under `searchBase` and `searchFilter`, then they are bound as. The first sign-in ' +
          'creates or links the agent; `groupMappings` set their departments and roles at every sign-in.',
        body: LdapSettingsIn,
        response: { 200: z.object({ settings: LdapSettingsOut.nullable() }), ...errors },
      },
    },
    async (req) => ({
      settings: await setLdapSettings(app, requireActor(req), req.body, { channel: req.channel }),
    }),
  )
  r.post(
    '/api/v1/admin/ldap/test',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Try the saved settings: connect, bind as the service account, search',
        response: { 200: z.object({ ok: z.boolean(), message: z.string() }), ...errors },
      },
    },
    async (req) => testLdapConnection(app, requireActor(req)),
  )
}
