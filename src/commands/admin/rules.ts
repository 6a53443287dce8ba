// Automation rules: on an event, when the conditions match, run the actions (docs/sla.md lists them).
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { isRuleField, RULE_ACTIONS, RULE_EVENTS, RULE_OPS, ruleRegexProblem } from '../../domain/rules.ts'
import { PRIORITIES } from '../../domain/tickets.ts'
import { badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { presentRule } from '../../presenters/rulePresenter.ts'
import { idExists, personKind } from '../../repositories/referenceRepo.ts'
import {
  deleteRule as deleteRuleRow,
  insertRule,
  listRules,
  ruleById,
  updateRule,
} from '../../repositories/ruleRepo.ts'
import { nonBlank } from '../fields.ts'
import { deleteResource, requireAdmin, saveResource, type AdminMeta } from './adminWrites.ts'

const RuleCondition = z.object({
  field: z.string().max(80).refine(isRuleField, 'not a rule field (see docs/sla.md)'),
  op: z.enum(RULE_OPS),
  value: z.string().max(500),
})
const RuleActionIn = z.object({
  type: z.enum(RULE_ACTIONS),
  value: z
    .union([z.string().max(500), z.number().int()])
    .nullable()
    .optional(),
})
export const RuleIn = z.object({
  name: nonBlank(100),
  event: z.enum(RULE_EVENTS),
  conditions: z.array(RuleCondition).max(50),
  match: z.enum(['all', 'any']).default('all'),
  actions: z.array(RuleActionIn).min(1).max(20),
  position: z.number().int().min(0).max(1_000_000).default(0),
  stopProcessing: z.boolean().default(false),
  isActive: z.boolean().default(true),
})
export type RuleIn = z.infer<typeof RuleIn>

async function checkRule(trx: Kysely<DB>, app: App, rule: RuleIn) {
  for (const c of rule.conditions) {
    if (c.op === 'regex') {
      const problem = ruleRegexProblem(c.value)
      if (problem) throw badRequest('invalid_rule', `Condition on ${c.field}: "${c.value}" ${problem}.`)
    }
  }
  for (const a of rule.actions) {
    const bad = (why: string) => badRequest('invalid_rule', `Action ${a.type}: ${why}`)
    const num = typeof a.value === 'number' ? a.value : Number.NaN
    switch (a.type) {
      case 'set_priority':
        if (!PRIORITIES.includes(a.value as never)) throw bad(`value must be one of ${PRIORITIES.join(', ')}`)
        break
      case 'set_status':
        if (!app.statuses.get(String(a.value))) throw bad('value must be a status key')
        break
      case 'set_department':
        if (!(await idExists(trx, 'departments', num))) throw bad('value must be a department id')
        break
      case 'set_team':
        if (!(await idExists(trx, 'teams', num))) throw bad('value must be a team id')
        break
      case 'set_assignee':
      case 'add_follower':
      case 'notify_agent': {
        // A rule that names a person names an agent who can take the work: never a customer (who would be
        // made assignee or follower of strangers' tickets) and, while the rule is active, not a disabled one.
        const person = Number.isInteger(num) ? await personKind(trx, num) : undefined
        if (!person) throw bad('value must be the id of an active agent')
        if (person.type !== 'agent') throw bad(`value must be an agent; user ${num} is a customer`)
        if (rule.isActive && person.is_active !== 1)
          throw bad(`value must be an active agent; agent ${num} is disabled`)
        break
      }
      case 'set_sla_plan':
        if (!(await idExists(trx, 'sla_plans', num))) throw bad('value must be an SLA plan id')
        break
      case 'send_canned_reply':
        if (!(await idExists(trx, 'canned_responses', num))) throw bad('value must be a canned response id')
        break
      case 'add_tag':
        if (typeof a.value !== 'string' || a.value.trim() === '' || a.value.length > 64)
          throw bad('value must be a tag of 1–64 characters')
        break
      case 'reject':
        break
    }
  }
  if (
    (rule.event === 'ticket.updated' || rule.event === 'satisfaction.rated') &&
    rule.actions.some((a) => a.type === 'reject')
  )
    throw badRequest('invalid_rule', 'reject only applies to ticket.created and message.received.')
}

/** Creates (`ruleId` null) or changes a rule; `input` is the whole rule or a patch of it. */
export async function saveRule(
  app: App,
  actor: Actor,
  ruleId: number | null,
  input: Partial<RuleIn>,
  meta: AdminMeta,
) {
  return saveResource(app, actor, meta, {
    store: { what: 'rule', byId: ruleById, insert: insertRule, update: updateRule },
    id: ruleId,
    input,
    merge: (current) => RuleIn.parse({ ...(current ? presentRule(current) : {}), ...input }),
    check: (trx, rule) => checkRule(trx, app, rule),
    toValues: (r) => ({
      name: r.name,
      event: r.event,
      conditions: JSON.stringify(r.conditions),
      match: r.match,
      actions: JSON.stringify(r.actions),
      position: r.position,
      stop_processing: r.stopProcessing ? 1 : 0,
      is_active: r.isActive ? 1 : 0,
    }),
    events: { created: 'admin.rule_created', updated: 'admin.rule_updated' },
  })
}

export async function deleteRule(app: App, actor: Actor, ruleId: number, meta: AdminMeta) {
  await deleteResource(app, actor, meta, {
    what: 'rule',
    id: ruleId,
    remove: deleteRuleRow,
    event: 'admin.rule_deleted',
  })
}

/** Every rule, in the order it runs. */
export async function rules(app: App, actor: Actor) {
  requireAdmin(actor)
  return listRules(app.db.read)
}
