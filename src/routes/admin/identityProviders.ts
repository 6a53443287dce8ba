// OpenID Connect providers in the admin console's API (issue 18). Every route is policy 'admin'; the commands
// check it again. The client secret is accepted, never returned.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  CreateIdentityProvider,
  createIdentityProvider,
  deleteIdentityProvider,
  getIdentityProvider,
  listIdentityProviders,
  UpdateIdentityProvider,
  updateIdentityProvider,
} from '../../commands/admin/identityProviders.ts'
import { id } from '../../commands/fields.ts'
import { IdentityProviderOut, presentIdentityProvider } from '../../presenters/identityProviderPresenter.ts'
import { ErrorOut, requireActor } from '../http.ts'

const IdParams = z.object({ id: z.coerce.number().pipe(id) })
const readErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const writeErrors = { ...readErrors, 409: ErrorOut }
const admin = { policy: 'admin' } as const
const tags = ['admin', 'identity']

export function identityProviderRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const present = (row: Parameters<typeof presentIdentityProvider>[0]) =>
    presentIdentityProvider(row, app.config.mail.publicUrl)

  r.get(
    '/api/v1/admin/identity-providers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Single sign-on (OpenID Connect) providers',
        response: { 200: z.object({ items: z.array(IdentityProviderOut) }), ...readErrors },
      },
    },
    async (req) => ({ items: (await listIdentityProviders(app, requireActor(req))).map(present) }),
  )
  r.post(
    '/api/v1/admin/identity-providers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add a single sign-on provider',
        body: CreateIdentityProvider,
        response: { 201: IdentityProviderOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          present(await createIdentityProvider(app, requireActor(req), req.body, { channel: req.channel })),
        ),
  )
  r.get(
    '/api/v1/admin/identity-providers/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'One provider',
        params: IdParams,
        response: { 200: IdentityProviderOut, ...readErrors },
      },
    },
    async (req) => present(await getIdentityProvider(app, requireActor(req), req.params.id)),
  )
  r.patch(
    '/api/v1/admin/identity-providers/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a provider (a new clientSecret replaces the old one)',
        params: IdParams,
        body: UpdateIdentityProvider,
        response: { 200: IdentityProviderOut, ...writeErrors },
      },
    },
    async (req) =>
      present(
        await updateIdentityProvider(app, requireActor(req), req.params.id, req.body, {
          channel: req.channel,
        }),
      ),
  )
  r.delete(
    '/api/v1/admin/identity-providers/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Remove a provider (its people keep their accounts)',
        params: IdParams,
        response: { 204: z.null(), ...readErrors },
      },
    },
    async (req, reply) => {
      await deleteIdentityProvider(app, requireActor(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
}
