import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { saveSchedule, ScheduleIn, schedules } from '../../commands/admin/schedules.ts'
import { presentSchedule, ScheduleOut } from '../../presenters/schedulePresenter.ts'
import { AUTOMATION_TAGS, resourceRoutes } from './adminRoute.ts'

export function scheduleRoutes(server: FastifyInstance, app: App): void {
  resourceRoutes(server, {
    path: '/api/v1/admin/schedules',
    tags: AUTOMATION_TAGS,
    In: ScheduleIn,
    Out: ScheduleOut,
    summaries: { list: 'Business-hours schedules', create: 'Create a schedule', update: 'Change a schedule' },
    list: (actor) => schedules(app, actor),
    present: presentSchedule,
    save: (actor, id, input, meta) => saveSchedule(app, actor, id, input, meta),
  })
}
