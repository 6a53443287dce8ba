import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { deleteRule, RuleIn, rules, saveRule } from '../../commands/admin/rules.ts'
import { presentRule, RuleOut } from '../../presenters/rulePresenter.ts'
import { AUTOMATION_TAGS, resourceRoutes } from './adminRoute.ts'

export function ruleRoutes(server: FastifyInstance, app: App): void {
  resourceRoutes(server, {
    path: '/api/v1/admin/rules',
    tags: AUTOMATION_TAGS,
    In: RuleIn,
    Out: RuleOut,
    summaries: {
      list: 'Rules, in the order they run',
      create: 'Create a rule',
      update: 'Change a rule',
      remove: 'Delete a rule',
    },
    list: (actor) => rules(app, actor),
    present: presentRule,
    save: (actor, id, input, meta) => saveRule(app, actor, id, input, meta),
    remove: (actor, id, meta) => deleteRule(app, actor, id, meta),
  })
}
