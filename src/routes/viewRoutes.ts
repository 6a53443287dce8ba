// Saved queue views. Each appears in GET /api/v1/queues with its count, and GET /api/v1/tickets?viewId= lists it.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { CreateView, createView, deleteView, UpdateView, updateView } from '../commands/views.ts'
import { presentView, ViewOut } from '../presenters/viewPresenter.ts'
import { listViews } from '../queries/viewQueries.ts'
import { ErrorOut, requireAgent } from './http.ts'

const ViewParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }

export function viewRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/views',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['views'],
        summary: 'My saved views',
        description: 'My personal views, then the views shared with my departments or with every agent.',
        response: { 200: z.object({ items: z.array(ViewOut) }), 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (req) => ({ items: (await listViews(app, requireAgent(req))).map(presentView) }),
  )

  r.post(
    '/api/v1/views',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['views'],
        summary: 'Save a view',
        description:
          'Personal unless `shared`. Sharing needs the `view.share` permission in `departmentId` (or, for every ' +
          'agent, in any department), or an admin: 403 `view_share_forbidden` otherwise.',
        body: CreateView,
        response: { 201: z.object({ view: ViewOut }), ...errors },
      },
    },
    async (req, reply) => {
      const view = await createView(app, requireAgent(req), req.body, { channel: req.channel })
      return reply.code(201).send({ view: presentView(view) })
    },
  )

  r.patch(
    '/api/v1/views/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['views'],
        summary: 'Change a view',
        description: "Another agent's personal view answers 404, as a missing one does.",
        params: ViewParams,
        body: UpdateView,
        response: { 200: z.object({ view: ViewOut }), ...errors },
      },
    },
    async (req) => ({
      view: presentView(
        await updateView(app, requireAgent(req), req.params.id, req.body, { channel: req.channel }),
      ),
    }),
  )

  r.delete(
    '/api/v1/views/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['views'],
        summary: 'Delete a view',
        params: ViewParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteView(app, requireAgent(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
}
