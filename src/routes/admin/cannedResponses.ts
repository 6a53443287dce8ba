import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { CannedIn, cannedResponses, deleteCanned, saveCanned } from '../../commands/admin/cannedResponses.ts'
import { patchOf } from '../../commands/fields.ts'
import { CannedResponseOut, presentCannedResponse } from '../../presenters/cannedResponsePresenter.ts'
import { requireActor } from '../http.ts'
import {
  adminOnly,
  IdParams,
  Items,
  metaOf,
  readErrors,
  AUTOMATION_TAGS as tags,
  writeErrors,
} from './adminRoute.ts'

export function cannedResponseRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/canned-responses',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'All canned responses',
        response: { 200: Items(CannedResponseOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await cannedResponses(app, requireActor(req))).map(presentCannedResponse) }),
  )
  r.post(
    '/api/v1/admin/canned-responses',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a canned response',
        body: CannedIn,
        response: { 201: CannedResponseOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await saveCanned(app, requireActor(req), null, req.body, metaOf(req))),
  )
  r.patch(
    '/api/v1/admin/canned-responses/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a canned response',
        params: IdParams,
        body: patchOf(CannedIn),
        response: { 200: CannedResponseOut, ...writeErrors },
      },
    },
    async (req) => saveCanned(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )
  r.delete(
    '/api/v1/admin/canned-responses/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Delete a canned response',
        params: IdParams,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (req, reply) => {
      await deleteCanned(app, requireActor(req), req.params.id, metaOf(req))
      return reply.code(204).send(null)
    },
  )
}
