import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import { PlanIn, savePlan, slaPlans } from '../../commands/admin/slaPlans.ts'
import { patchOf } from '../../commands/fields.ts'
import { presentSlaPlan, SlaPlanOut } from '../../presenters/slaPlanPresenter.ts'
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

export function slaPlanRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/sla-plans',
    {
      config: adminOnly,
      schema: { tags, summary: 'SLA plans', response: { 200: Items(SlaPlanOut), ...readErrors } },
    },
    async (req) => ({ items: (await slaPlans(app, requireActor(req))).map(presentSlaPlan) }),
  )
  r.post(
    '/api/v1/admin/sla-plans',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create an SLA plan',
        body: PlanIn,
        response: { 201: SlaPlanOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await savePlan(app, requireActor(req), null, req.body, metaOf(req))),
  )
  r.patch(
    '/api/v1/admin/sla-plans/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change an SLA plan',
        description: 'Running tickets pick up new targets at their next change.',
        params: IdParams,
        body: patchOf(PlanIn),
        response: { 200: SlaPlanOut, ...writeErrors },
      },
    },
    async (req) => savePlan(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )
}
