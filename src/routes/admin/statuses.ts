import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { CreateStatus, createStatus, UpdateStatus, updateStatus } from '../../commands/admin/statuses.ts'
import { presentStatus, StatusOut } from '../../presenters/statusPresenter.ts'
import { requireActor } from '../http.ts'
import { adminOnly, AUTOMATION_TAGS as tags, metaOf, writeErrors } from './adminRoute.ts'

export function statusRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.post(
    '/api/v1/admin/statuses',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Add a status',
        body: CreateStatus,
        response: { 201: StatusOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentStatus(await createStatus(app, requireActor(req), req.body, metaOf(req)))),
  )
  r.patch(
    '/api/v1/admin/statuses/:key',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Rename a status, change its category or its position within the category',
        params: z.object({ key: z.string().max(32) }),
        body: UpdateStatus,
        response: { 200: StatusOut, ...writeErrors },
      },
    },
    async (req) =>
      presentStatus(await updateStatus(app, requireActor(req), req.params.key, req.body, metaOf(req))),
  )
}
