// Admin use cases of issue 5: statuses, schedules, SLA plans, SLA settings, department routing, agent
// availability, rules, help topics, custom fields and canned responses. Each validates, then writes in one
// transaction with an audit event; catalogs held in memory are reloaded after commit.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { AUTO_ASSIGN_MODES } from '../domain/assignment.ts'
import { scheduleProblems, WEEKDAYS, type BusinessSchedule } from '../domain/businessTime.ts'
import { FIELD_TYPES } from '../domain/customFields.ts'
import { isRuleField, RULE_ACTIONS, RULE_EVENTS, RULE_OPS, ruleRegexProblem } from '../domain/rules.ts'
import { PRIORITIES, STATUS_CATEGORIES } from '../domain/tickets.ts'
import { AppError, badRequest, notFound } from '../errors.ts'
import type { AgentActor } from '../policies/actor.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { putSetting } from '../repositories/settingsRepo.ts'
import { id, nonBlank, text } from './fields.ts'

const minutes = z.number().int().min(1).max(525_600).nullable()
const Interval = z.object({ start: z.string().max(5), end: z.string().max(5) })

// ---- statuses ---------------------------------------------------------------------------------------------

export const CreateStatus = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _'),
  name: nonBlank(64),
  category: z.enum(STATUS_CATEGORIES),
  position: z.number().int().min(0).max(10_000).default(0),
})
export const UpdateStatus = z.object({
  name: nonBlank(64).optional(),
  category: z.enum(STATUS_CATEGORIES).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
})

export async function createStatus(app: App, admin: AgentActor, input: z.infer<typeof CreateStatus>) {
  await app.db.transact(async (trx) => {
    const exists = await trx
      .selectFrom('ticket_statuses')
      .select('key')
      .where('key', '=', input.key)
      .executeTakeFirst()
    if (exists) throw new AppError('conflict', 'status_exists', `A status with key "${input.key}" exists.`)
    await trx.insertInto('ticket_statuses').values(input).execute()
    await audit(trx, app, admin, 'admin.status_created', input)
  })
  await app.statuses.load(app.db.read)
  return app.statuses.get(input.key)!
}

export async function updateStatus(
  app: App,
  admin: AgentActor,
  key: string,
  input: z.infer<typeof UpdateStatus>,
) {
  await app.db.transact(async (trx) => {
    const before = await trx
      .selectFrom('ticket_statuses')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst()
    if (!before) throw notFound('status')
    // The built-in statuses anchor their categories (reopen goes to "open", auto-close to "closed").
    if (input.category && input.category !== before.category && ['open', 'closed', 'resolved'].includes(key))
      throw badRequest('builtin_status', `The category of the built-in status "${key}" cannot change.`)
    await trx
      .updateTable('ticket_statuses')
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.category ? { category: input.category } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
      })
      .where('key', '=', key)
      .execute()
    await audit(trx, app, admin, 'admin.status_updated', { key, ...input })
  })
  await app.statuses.load(app.db.read)
  return app.statuses.get(key)!
}

// ---- schedules ---------------------------------------------------------------------------------------------

export const ScheduleIn = z.object({
  name: nonBlank(100),
  timeZone: z.string().max(64),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(Interval).max(8)),
  holidays: z.array(z.string().max(10)).max(1000).default([]),
})
export type ScheduleIn = z.infer<typeof ScheduleIn>

function checkSchedule(s: BusinessSchedule): void {
  const problems = scheduleProblems(s)
  if (problems.length > 0) throw badRequest('invalid_schedule', problems.join('; '))
}

export async function saveSchedule(
  app: App,
  admin: AgentActor,
  scheduleId: number | null,
  input: Partial<ScheduleIn>,
) {
  return app.db.transact(async (trx) => {
    const current =
      scheduleId === null
        ? undefined
        : await trx
            .selectFrom('business_schedules')
            .selectAll()
            .where('id', '=', scheduleId)
            .executeTakeFirst()
    if (scheduleId !== null && !current) throw notFound('schedule')
    const merged: ScheduleIn = {
      name: input.name ?? current?.name ?? '',
      timeZone: input.timeZone ?? current?.time_zone ?? '',
      weekly: input.weekly ?? (current ? (JSON.parse(current.weekly) as ScheduleIn['weekly']) : {}),
      holidays: input.holidays ?? (current ? (JSON.parse(current.holidays) as string[]) : []),
    }
    checkSchedule(merged)
    const values = {
      name: merged.name,
      time_zone: merged.timeZone,
      weekly: JSON.stringify(merged.weekly),
      holidays: JSON.stringify([...new Set(merged.holidays)].sort()),
    }
    let savedId = scheduleId
    try {
      if (savedId === null) {
        const row = await trx
          .insertInto('business_schedules')
          .values({ ...values, created_at: app.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
        savedId = row.id
      } else await trx.updateTable('business_schedules').set(values).where('id', '=', savedId).execute()
    } catch (error) {
      throw uniqueViolation(error, 'schedule_exists', 'A schedule with that name exists.')
    }
    await audit(trx, app, admin, scheduleId === null ? 'admin.schedule_created' : 'admin.schedule_updated', {
      id: savedId,
      ...input,
    })
    return { id: savedId, ...merged }
  })
}

// ---- SLA plans ---------------------------------------------------------------------------------------------

const PriorityTargetsIn = z.object({
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes,
  resolutionMinutes: minutes,
  hours: z.enum(['business', '24x7']),
})
const EscalationIn = z.object({
  on: z.enum(['at_risk', 'breached']),
  type: z.enum(['raise_priority', 'reassign', 'notify_team']),
  value: id.nullable().optional(),
})
export const PlanIn = z.object({
  name: nonBlank(100),
  scheduleId: id.nullable().default(null),
  targets: z.object(
    Object.fromEntries(PRIORITIES.map((p) => [p, PriorityTargetsIn])) as Record<
      (typeof PRIORITIES)[number],
      typeof PriorityTargetsIn
    >,
  ),
  escalations: z.array(EscalationIn).max(20).default([]),
  isActive: z.boolean().default(true),
})
export type PlanIn = z.infer<typeof PlanIn>

export async function savePlan(app: App, admin: AgentActor, planId: number | null, input: Partial<PlanIn>) {
  return app.db.transact(async (trx) => {
    const current =
      planId === null
        ? undefined
        : await trx.selectFrom('sla_plans').selectAll().where('id', '=', planId).executeTakeFirst()
    if (planId !== null && !current) throw notFound('SLA plan')
    const merged = {
      name: input.name ?? current?.name,
      scheduleId: input.scheduleId !== undefined ? input.scheduleId : (current?.schedule_id ?? null),
      targets: input.targets ?? (current ? (JSON.parse(current.targets) as PlanIn['targets']) : undefined),
      escalations:
        input.escalations ?? (current ? (JSON.parse(current.escalations) as PlanIn['escalations']) : []),
      isActive: input.isActive ?? (current ? current.is_active === 1 : true),
    }
    if (!merged.name || !merged.targets) throw badRequest('invalid_plan', 'A plan needs a name and targets.')
    const usesBusiness = Object.values(merged.targets).some((t) => t.hours === 'business')
    if (usesBusiness && merged.scheduleId === null)
      throw badRequest('schedule_required', 'Targets counted in business hours need a schedule (scheduleId).')
    if (merged.scheduleId !== null) {
      const s = await trx
        .selectFrom('business_schedules')
        .select('id')
        .where('id', '=', merged.scheduleId)
        .executeTakeFirst()
      if (!s) throw badRequest('unknown_schedule', 'That schedule does not exist.')
    }
    await checkEscalationRefs(trx, merged.escalations)
    const values = {
      name: merged.name,
      schedule_id: merged.scheduleId,
      targets: JSON.stringify(merged.targets),
      escalations: JSON.stringify(merged.escalations),
      is_active: merged.isActive ? 1 : 0,
    }
    let savedId = planId
    try {
      if (savedId === null) {
        const row = await trx
          .insertInto('sla_plans')
          .values({ ...values, created_at: app.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
        savedId = row.id
      } else await trx.updateTable('sla_plans').set(values).where('id', '=', savedId).execute()
    } catch (error) {
      throw uniqueViolation(error, 'plan_exists', 'A plan with that name exists.')
    }
    await audit(trx, app, admin, planId === null ? 'admin.sla_plan_created' : 'admin.sla_plan_updated', {
      id: savedId,
      ...input,
    })
    return { id: savedId, ...merged }
  })
}

async function checkEscalationRefs(trx: Kysely<DB>, escalations: PlanIn['escalations']) {
  for (const e of escalations) {
    if (e.type === 'notify_team') {
      if (typeof e.value !== 'number') throw badRequest('invalid_escalation', 'notify_team needs a team id.')
      const team = await trx.selectFrom('teams').select('id').where('id', '=', e.value).executeTakeFirst()
      if (!team) throw badRequest('invalid_escalation', `No team ${e.value}.`)
    }
    if (e.type === 'reassign' && typeof e.value === 'number') {
      const agent = await trx
        .selectFrom('users')
        .select(['type', 'is_active'])
        .where('id', '=', e.value)
        .executeTakeFirst()
      if (agent?.type !== 'agent')
        throw badRequest('invalid_escalation', `reassign: value must be an agent; ${e.value} is not one.`)
      if (agent.is_active !== 1)
        throw badRequest(
          'invalid_escalation',
          `reassign: value must be an active agent; agent ${e.value} is disabled.`,
        )
    }
  }
}

// ---- settings, departments, agents -------------------------------------------------------------------------

export const SlaSettingsIn = z.object({
  autoCloseDays: z.number().int().min(0).max(3650).optional().describe('0 turns auto-close off'),
  defaultPlanId: id.nullable().optional(),
})

export async function saveSlaSettings(app: App, admin: AgentActor, input: z.infer<typeof SlaSettingsIn>) {
  await app.db.transact(async (trx) => {
    if (input.autoCloseDays !== undefined)
      await putSetting(trx, 'auto_close_days', String(input.autoCloseDays))
    if (input.defaultPlanId !== undefined) {
      if (input.defaultPlanId !== null) {
        const plan = await trx
          .selectFrom('sla_plans')
          .select('id')
          .where('id', '=', input.defaultPlanId)
          .executeTakeFirst()
        if (!plan) throw badRequest('unknown_plan', 'That SLA plan does not exist.')
      }
      await putSetting(
        trx,
        'default_sla_plan_id',
        input.defaultPlanId === null ? '' : String(input.defaultPlanId),
      )
    }
    await audit(trx, app, admin, 'admin.sla_settings_updated', input)
  })
}

export const DepartmentRoutingIn = z.object({
  autoAssign: z.enum(AUTO_ASSIGN_MODES).optional(),
  maxOpenPerAgent: z.number().int().min(1).max(10_000).nullable().optional(),
  assignSignedInWithinMinutes: z.number().int().min(1).max(10_080).nullable().optional(),
  managerId: id.nullable().optional(),
  slaPlanId: id.nullable().optional(),
})
export type DepartmentRoutingIn = z.infer<typeof DepartmentRoutingIn>

/**
 * The routing half of PATCH /api/v1/admin/departments/:id (auto-assignment, cap, manager, SLA plan), applied
 * inside the admin command's transaction so that one request is one change.
 */
export async function applyDepartmentRouting(
  trx: Kysely<DB>,
  app: App,
  admin: AgentActor,
  departmentId: number,
  input: DepartmentRoutingIn,
): Promise<boolean> {
  const set = {
    ...(input.autoAssign !== undefined ? { auto_assign: input.autoAssign } : {}),
    ...(input.maxOpenPerAgent !== undefined ? { max_open_per_agent: input.maxOpenPerAgent } : {}),
    ...(input.assignSignedInWithinMinutes !== undefined
      ? { assign_signed_in_within_minutes: input.assignSignedInWithinMinutes }
      : {}),
    ...(input.managerId !== undefined ? { manager_id: input.managerId } : {}),
    ...(input.slaPlanId !== undefined ? { sla_plan_id: input.slaPlanId } : {}),
  }
  if (Object.keys(set).length === 0) return false
  if (typeof input.managerId === 'number') {
    const m = await trx
      .selectFrom('users')
      .select(['type', 'is_active'])
      .where('id', '=', input.managerId)
      .executeTakeFirst()
    if (m?.type !== 'agent') throw badRequest('unknown_agent', 'The manager must be an agent.')
  }
  if (typeof input.slaPlanId === 'number') {
    const p = await trx
      .selectFrom('sla_plans')
      .select('id')
      .where('id', '=', input.slaPlanId)
      .executeTakeFirst()
    if (!p) throw badRequest('unknown_plan', 'That SLA plan does not exist.')
  }
  await trx.updateTable('departments').set(set).where('id', '=', departmentId).execute()
  await audit(trx, app, admin, 'admin.department_routing_updated', { id: departmentId, ...input })
  return true
}

export const AgentAvailabilityIn = z.object({ onVacation: z.boolean() })

export async function setAgentAvailability(
  app: App,
  admin: AgentActor,
  agentId: number,
  input: z.infer<typeof AgentAvailabilityIn>,
) {
  await app.db.transact(async (trx) => {
    const agent = await trx.selectFrom('users').select('type').where('id', '=', agentId).executeTakeFirst()
    if (agent?.type !== 'agent') throw notFound('agent')
    await trx
      .updateTable('users')
      .set({ on_vacation: input.onVacation ? 1 : 0 })
      .where('id', '=', agentId)
      .execute()
    await audit(trx, app, admin, 'admin.agent_availability_updated', { id: agentId, ...input })
  })
  return { id: agentId, onVacation: input.onVacation }
}

// ---- rules --------------------------------------------------------------------------------------------------

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
    const exists = async (table: 'departments' | 'teams' | 'users' | 'sla_plans' | 'canned_responses') =>
      Number.isInteger(num) &&
      (await trx.selectFrom(table).select('id').where('id', '=', num).executeTakeFirst()) !== undefined
    switch (a.type) {
      case 'set_priority':
        if (!PRIORITIES.includes(a.value as never)) throw bad(`value must be one of ${PRIORITIES.join(', ')}`)
        break
      case 'set_status':
        if (!app.statuses.get(String(a.value))) throw bad('value must be a status key')
        break
      case 'set_department':
        if (!(await exists('departments'))) throw bad('value must be a department id')
        break
      case 'set_team':
        if (!(await exists('teams'))) throw bad('value must be a team id')
        break
      case 'set_assignee':
      case 'add_follower':
      case 'notify_agent': {
        // A rule that names a person names an agent who can take the work: never a customer (who would be
        // made assignee or follower of strangers' tickets) and, while the rule is active, not a disabled one.
        const person = Number.isInteger(num)
          ? await trx
              .selectFrom('users')
              .select(['type', 'is_active'])
              .where('id', '=', num)
              .executeTakeFirst()
          : undefined
        if (!person) throw bad('value must be the id of an active agent')
        if (person.type !== 'agent') throw bad(`value must be an agent; user ${num} is a customer`)
        if (rule.isActive && person.is_active !== 1)
          throw bad(`value must be an active agent; agent ${num} is disabled`)
        break
      }
      case 'set_sla_plan':
        if (!(await exists('sla_plans'))) throw bad('value must be an SLA plan id')
        break
      case 'send_canned_reply':
        if (!(await exists('canned_responses'))) throw bad('value must be a canned response id')
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

export async function saveRule(app: App, admin: AgentActor, ruleId: number | null, input: Partial<RuleIn>) {
  return app.db.transact(async (trx) => {
    const current =
      ruleId === null
        ? undefined
        : await trx.selectFrom('rules').selectAll().where('id', '=', ruleId).executeTakeFirst()
    if (ruleId !== null && !current) throw notFound('rule')
    const merged = RuleIn.parse({
      ...(current ? presentRule(current) : {}),
      ...input,
    })
    await checkRule(trx, app, merged)
    const values = {
      name: merged.name,
      event: merged.event,
      conditions: JSON.stringify(merged.conditions),
      match: merged.match,
      actions: JSON.stringify(merged.actions),
      position: merged.position,
      stop_processing: merged.stopProcessing ? 1 : 0,
      is_active: merged.isActive ? 1 : 0,
    }
    let savedId = ruleId
    if (savedId === null) {
      const row = await trx
        .insertInto('rules')
        .values({ ...values, created_at: app.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
      savedId = row.id
    } else await trx.updateTable('rules').set(values).where('id', '=', savedId).execute()
    await audit(trx, app, admin, ruleId === null ? 'admin.rule_created' : 'admin.rule_updated', {
      id: savedId,
      ...input,
    })
    return { id: savedId, ...merged }
  })
}

export async function deleteRule(app: App, admin: AgentActor, ruleId: number) {
  await app.db.transact(async (trx) => {
    const gone = await trx.deleteFrom('rules').where('id', '=', ruleId).executeTakeFirst()
    if (Number(gone.numDeletedRows) === 0) throw notFound('rule')
    await audit(trx, app, admin, 'admin.rule_deleted', { id: ruleId })
  })
}

export function presentRule(r: {
  id: number
  name: string
  event: string
  conditions: string
  match: string
  actions: string
  position: number
  stop_processing: number
  is_active: number
}) {
  return {
    id: r.id,
    name: r.name,
    event: r.event as RuleIn['event'],
    conditions: JSON.parse(r.conditions) as RuleIn['conditions'],
    match: r.match as RuleIn['match'],
    actions: JSON.parse(r.actions) as RuleIn['actions'],
    position: r.position,
    stopProcessing: r.stop_processing === 1,
    isActive: r.is_active === 1,
  }
}

// ---- help topics --------------------------------------------------------------------------------------------

export const TopicIn = z.object({
  name: nonBlank(100),
  isPublic: z.boolean().default(true),
  isActive: z.boolean().default(true),
  departmentId: id.nullable().default(null),
  priority: z.enum(PRIORITIES).nullable().default(null),
  slaPlanId: id.nullable().default(null),
  fields: z.array(z.string().max(64)).max(100).default([]).describe('Custom field keys: the topic’s form'),
  position: z.number().int().min(0).max(1_000_000).default(0),
})
export type TopicIn = z.infer<typeof TopicIn>

export async function saveTopic(
  app: App,
  admin: AgentActor,
  topicId: number | null,
  input: Partial<TopicIn>,
) {
  return app.db.transact(async (trx) => {
    const current =
      topicId === null
        ? undefined
        : await trx.selectFrom('help_topics').selectAll().where('id', '=', topicId).executeTakeFirst()
    if (topicId !== null && !current) throw notFound('help topic')
    const merged = TopicIn.parse({ ...(current ? presentTopic(current) : {}), ...input })
    if (merged.departmentId !== null) {
      const d = await trx
        .selectFrom('departments')
        .select('id')
        .where('id', '=', merged.departmentId)
        .executeTakeFirst()
      if (!d) throw badRequest('unknown_department', 'That department does not exist.')
    }
    if (merged.slaPlanId !== null) {
      const p = await trx
        .selectFrom('sla_plans')
        .select('id')
        .where('id', '=', merged.slaPlanId)
        .executeTakeFirst()
      if (!p) throw badRequest('unknown_plan', 'That SLA plan does not exist.')
    }
    // A topic may keep a disabled field on its form; it comes back when the field is enabled again.
    const known = new Set((await trx.selectFrom('custom_fields').select('key').execute()).map((f) => f.key))
    const unknown = merged.fields.filter((k) => !known.has(k))
    if (unknown.length > 0) throw badRequest('unknown_field', `No custom fields: ${unknown.join(', ')}.`)
    const values = {
      name: merged.name,
      is_public: merged.isPublic ? 1 : 0,
      is_active: merged.isActive ? 1 : 0,
      department_id: merged.departmentId,
      priority: merged.priority,
      sla_plan_id: merged.slaPlanId,
      fields: JSON.stringify(merged.fields),
      position: merged.position,
    }
    let savedId = topicId
    try {
      if (savedId === null) {
        const row = await trx
          .insertInto('help_topics')
          .values({ ...values, created_at: app.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
        savedId = row.id
      } else await trx.updateTable('help_topics').set(values).where('id', '=', savedId).execute()
    } catch (error) {
      throw uniqueViolation(error, 'topic_exists', 'A help topic with that name exists.')
    }
    await audit(trx, app, admin, topicId === null ? 'admin.topic_created' : 'admin.topic_updated', {
      id: savedId,
      ...input,
    })
    return { id: savedId, ...merged }
  })
}

export function presentTopic(t: {
  id: number
  name: string
  is_public: number
  is_active: number
  department_id: number | null
  priority: string | null
  sla_plan_id: number | null
  fields: string
  position: number
}) {
  return {
    id: t.id,
    name: t.name,
    isPublic: t.is_public === 1,
    isActive: t.is_active === 1,
    departmentId: t.department_id,
    priority: t.priority as TopicIn['priority'],
    slaPlanId: t.sla_plan_id,
    fields: JSON.parse(t.fields) as string[],
    position: t.position,
  }
}

// ---- custom fields ------------------------------------------------------------------------------------------

export const CustomFieldIn = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _'),
  label: nonBlank(100),
  type: z.enum(FIELD_TYPES),
  options: z.array(text(100)).max(200).default([]),
  clientVisible: z.boolean().default(true),
  clientEditable: z.boolean().default(true),
  agentVisible: z.boolean().default(true),
  requiredOnCreate: z.boolean().default(false),
  requiredToClose: z.boolean().default(false),
  position: z.number().int().min(0).max(1_000_000).default(0),
  isActive: z.boolean().default(true),
})
export type CustomFieldIn = z.infer<typeof CustomFieldIn>

export async function saveCustomField(
  app: App,
  admin: AgentActor,
  fieldId: number | null,
  input: Partial<CustomFieldIn>,
) {
  const saved = await app.db.transact(async (trx) => {
    const current =
      fieldId === null
        ? undefined
        : await trx.selectFrom('custom_fields').selectAll().where('id', '=', fieldId).executeTakeFirst()
    if (fieldId !== null && !current) throw notFound('custom field')
    if (current && input.key !== undefined && input.key !== current.key)
      throw badRequest('key_fixed', 'A field’s key cannot change: stored values and rules refer to it.')
    if (current && input.type !== undefined && input.type !== current.type)
      throw badRequest('type_fixed', 'A field’s type cannot change once it exists.')
    const merged = CustomFieldIn.parse({ ...(current ? presentField(current) : {}), ...input })
    if ((merged.type === 'select' || merged.type === 'multi_select') && merged.options.length === 0)
      throw badRequest('options_required', 'A select field needs options.')
    const values = {
      key: merged.key,
      label: merged.label,
      type: merged.type,
      options: JSON.stringify(merged.options),
      client_visible: merged.clientVisible ? 1 : 0,
      client_editable: merged.clientEditable ? 1 : 0,
      agent_visible: merged.agentVisible ? 1 : 0,
      required_on_create: merged.requiredOnCreate ? 1 : 0,
      required_to_close: merged.requiredToClose ? 1 : 0,
      position: merged.position,
      is_active: merged.isActive ? 1 : 0,
    }
    let savedId = fieldId
    try {
      if (savedId === null) {
        const row = await trx
          .insertInto('custom_fields')
          .values({ ...values, created_at: app.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
        savedId = row.id
      } else await trx.updateTable('custom_fields').set(values).where('id', '=', savedId).execute()
    } catch (error) {
      throw uniqueViolation(error, 'field_exists', 'A field with that key exists.')
    }
    await audit(trx, app, admin, fieldId === null ? 'admin.field_created' : 'admin.field_updated', {
      id: savedId,
      ...input,
    })
    return { id: savedId, ...merged }
  })
  await app.fields.load(app.db.read)
  return saved
}

export function presentField(f: {
  id: number
  key: string
  label: string
  type: CustomFieldIn['type']
  options: string
  client_visible: number
  client_editable: number
  agent_visible: number
  required_on_create: number
  required_to_close: number
  position: number
  is_active: number
}) {
  return {
    id: f.id,
    key: f.key,
    label: f.label,
    type: f.type,
    options: JSON.parse(f.options) as string[],
    clientVisible: f.client_visible === 1,
    clientEditable: f.client_editable === 1,
    agentVisible: f.agent_visible === 1,
    requiredOnCreate: f.required_on_create === 1,
    requiredToClose: f.required_to_close === 1,
    position: f.position,
    isActive: f.is_active === 1,
  }
}

// ---- canned responses ---------------------------------------------------------------------------------------

export const CannedIn = z.object({
  title: nonBlank(200),
  body: nonBlank(50_000),
  departmentId: id.nullable().default(null).describe('null: available in every department'),
})
export type CannedIn = z.infer<typeof CannedIn>

export async function saveCanned(
  app: App,
  admin: AgentActor,
  cannedId: number | null,
  input: Partial<CannedIn>,
) {
  return app.db.transact(async (trx) => {
    const current =
      cannedId === null
        ? undefined
        : await trx.selectFrom('canned_responses').selectAll().where('id', '=', cannedId).executeTakeFirst()
    if (cannedId !== null && !current) throw notFound('canned response')
    const merged = CannedIn.parse({
      ...(current ? { title: current.title, body: current.body, departmentId: current.department_id } : {}),
      ...input,
    })
    if (merged.departmentId !== null) {
      const d = await trx
        .selectFrom('departments')
        .select('id')
        .where('id', '=', merged.departmentId)
        .executeTakeFirst()
      if (!d) throw badRequest('unknown_department', 'That department does not exist.')
    }
    const values = { title: merged.title, body: merged.body, department_id: merged.departmentId }
    let savedId = cannedId
    if (savedId === null) {
      const row = await trx
        .insertInto('canned_responses')
        .values({ ...values, created_at: app.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
      savedId = row.id
    } else await trx.updateTable('canned_responses').set(values).where('id', '=', savedId).execute()
    await audit(trx, app, admin, cannedId === null ? 'admin.canned_created' : 'admin.canned_updated', {
      id: savedId,
    })
    return { id: savedId, ...merged }
  })
}

export async function deleteCanned(app: App, admin: AgentActor, cannedId: number) {
  await app.db.transact(async (trx) => {
    const gone = await trx.deleteFrom('canned_responses').where('id', '=', cannedId).executeTakeFirst()
    if (Number(gone.numDeletedRows) === 0) throw notFound('canned response')
    await audit(trx, app, admin, 'admin.canned_deleted', { id: cannedId })
  })
}

// ---- shared -------------------------------------------------------------------------------------------------

async function audit(trx: Kysely<DB>, app: App, admin: AgentActor, type: string, after: unknown) {
  await insertEvents(
    trx,
    [
      {
        ticketId: null,
        actorId: admin.id,
        type,
        channel: 'web',
        after: after as Record<string, unknown>,
        at: app.clock.now(),
      },
    ],
    admin.origin,
  )
}

function uniqueViolation(error: unknown, code: string, message: string): unknown {
  const e = error as { code?: string; message?: string }
  if (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint/.test(e.message ?? '')
  )
    return new AppError('conflict', code, message)
  return error
}
