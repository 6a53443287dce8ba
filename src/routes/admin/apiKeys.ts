// API keys in the admin console's API (issue 18): list, create (the key is in that one answer), revoke.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { CreateApiKey, createApiKey, listApiKeys, revokeApiKey } from '../../commands/apiKeys.ts'
import { ErrorOut, requireActor } from '../http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })
const admin = { policy: 'admin' as const }
const tags = ['admin', 'api-keys']

const ApiKeyOut = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  allowedIps: z.array(z.string()).nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
})

export function apiKeyRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/api-keys',
    {
      config: admin,
      schema: {
        tags,
        summary: 'API keys, with when each was last used (to the minute)',
        response: { 200: z.object({ items: z.array(ApiKeyOut) }), ...errors },
      },
    },
    async () => ({ items: await listApiKeys(app) }),
  )
  r.post(
    '/api/v1/admin/api-keys',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an API key; the key is shown only in this response',
        body: CreateApiKey,
        response: { 201: z.object({ id: z.number(), key: z.string() }), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createApiKey(app, req.body, requireActor(req).id)),
  )
  r.delete(
    '/api/v1/admin/api-keys/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await revokeApiKey(app, req.params.id)
      return reply.code(204).send(null)
    },
  )
}
