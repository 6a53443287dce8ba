import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { PlanIn, savePlan, slaPlans } from '../../commands/admin/slaPlans.ts'
import { presentSlaPlan, SlaPlanOut } from '../../presenters/slaPlanPresenter.ts'
import { AUTOMATION_TAGS, resourceRoutes } from './adminRoute.ts'

export function slaPlanRoutes(server: FastifyInstance, app: App): void {
  resourceRoutes(server, {
    path: '/api/v1/admin/sla-plans',
    tags: AUTOMATION_TAGS,
    In: PlanIn,
    Out: SlaPlanOut,
    summaries: { list: 'SLA plans', create: 'Create an SLA plan', update: 'Change an SLA plan' },
    description: { update: 'Running tickets pick up new targets at their next change.' },
    list: (actor) => slaPlans(app, actor),
    present: presentSlaPlan,
    save: (actor, id, input, meta) => savePlan(app, actor, id, input, meta),
  })
}
