import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import { saveSchedule, ScheduleIn, schedules } from '../../commands/admin/schedules.ts'
import { patchOf } from '../../commands/fields.ts'
import { presentSchedule, ScheduleOut } from '../../presenters/schedulePresenter.ts'
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

export function scheduleRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/schedules',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Business-hours schedules',
        response: { 200: Items(ScheduleOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await schedules(app, requireActor(req))).map(presentSchedule) }),
  )
  r.post(
    '/api/v1/admin/schedules',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a schedule',
        body: ScheduleIn,
        response: { 201: ScheduleOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await saveSchedule(app, requireActor(req), null, req.body, metaOf(req))),
  )
  r.patch(
    '/api/v1/admin/schedules/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a schedule',
        params: IdParams,
        body: patchOf(ScheduleIn),
        response: { 200: ScheduleOut, ...writeErrors },
      },
    },
    async (req) => saveSchedule(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )
}
