// Admin API of issue 5: statuses, schedules, SLA plans and settings, department routing (auto-assignment,
// manager, plan), agent availability, rules, help topics, custom fields and canned responses.
// Department routing fields (autoAssign, maxOpenPerAgent, managerId, slaPlanId) ride on the admin console's
// PATCH /api/v1/admin/departments/:id (routes/adminRoutes.ts), applied by applyDepartmentRouting.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { patchOf } from '../commands/fields.ts'
import {
  AgentAvailabilityIn,
  CannedIn,
  CreateStatus,
  CustomFieldIn,
  PlanIn,
  RuleIn,
  ScheduleIn,
  SlaSettingsIn,
  TopicIn,
  UpdateStatus,
  createStatus,
  deleteCanned,
  deleteRule,
  presentField,
  presentRule,
  presentTopic,
  saveCanned,
  saveCustomField,
  savePlan,
  saveRule,
  saveSchedule,
  saveSlaSettings,
  saveTopic,
  setAgentAvailability,
  updateStatus,
} from '../commands/slaAdmin.ts'
import { STATUS_CATEGORIES } from '../domain/tickets.ts'
import { autoCloseDays } from '../jobs/statusSweeps.ts'
import { listPlans, listSchedules } from '../repositories/slaRepo.ts'
import { ErrorOut, requireAgent } from './http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })
const admin = { policy: 'admin' as const }
const Anything = z.record(z.string(), z.unknown())

export function slaAdminRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const tags = ['admin: service levels & automation']

  // Statuses
  const StatusOut = z.object({
    key: z.string(),
    name: z.string(),
    category: z.enum(STATUS_CATEGORIES),
    position: z.number(),
  })
  r.post(
    '/api/v1/admin/statuses',
    {
      config: admin,
      schema: { tags, summary: 'Add a status', body: CreateStatus, response: { 201: StatusOut, ...errors } },
    },
    async (req, reply) => reply.code(201).send(await createStatus(app, requireAgent(req), req.body)),
  )
  r.patch(
    '/api/v1/admin/statuses/:key',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rename a status, change its category or its position within the category',
        params: z.object({ key: z.string().max(32) }),
        body: UpdateStatus,
        response: { 200: StatusOut, ...errors },
      },
    },
    async (req) => updateStatus(app, requireAgent(req), req.params.key, req.body),
  )

  // Schedules
  r.get(
    '/api/v1/admin/schedules',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Business-hours schedules',
        response: { 200: z.object({ items: z.array(Anything) }), ...errors },
      },
    },
    async () => ({
      items: (await listSchedules(app.db.read)).map((s) => ({
        id: s.id,
        name: s.name,
        timeZone: s.time_zone,
        weekly: JSON.parse(s.weekly) as unknown,
        holidays: JSON.parse(s.holidays) as unknown,
      })),
    }),
  )
  r.post(
    '/api/v1/admin/schedules',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a schedule',
        body: ScheduleIn,
        response: { 201: Anything, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await saveSchedule(app, requireAgent(req), null, req.body)),
  )
  r.patch(
    '/api/v1/admin/schedules/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a schedule',
        params: IdParams,
        body: patchOf(ScheduleIn),
        response: { 200: Anything, ...errors },
      },
    },
    async (req) => saveSchedule(app, requireAgent(req), req.params.id, req.body),
  )

  // SLA plans and settings
  r.get(
    '/api/v1/admin/sla-plans',
    {
      config: admin,
      schema: {
        tags,
        summary: 'SLA plans',
        response: { 200: z.object({ items: z.array(Anything) }), ...errors },
      },
    },
    async () => ({
      items: (await listPlans(app.db.read)).map((p) => ({
        id: p.id,
        name: p.name,
        scheduleId: p.schedule_id,
        targets: JSON.parse(p.targets) as unknown,
        escalations: JSON.parse(p.escalations) as unknown,
        isActive: p.is_active === 1,
      })),
    }),
  )
  r.post(
    '/api/v1/admin/sla-plans',
    {
      config: admin,
      schema: { tags, summary: 'Create an SLA plan', body: PlanIn, response: { 201: Anything, ...errors } },
    },
    async (req, reply) => reply.code(201).send(await savePlan(app, requireAgent(req), null, req.body)),
  )
  r.patch(
    '/api/v1/admin/sla-plans/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change an SLA plan',
        description: 'Running tickets pick up new targets at their next change.',
        params: IdParams,
        body: patchOf(PlanIn),
        response: { 200: Anything, ...errors },
      },
    },
    async (req) => savePlan(app, requireAgent(req), req.params.id, req.body),
  )
  const SettingsOut = z.object({ autoCloseDays: z.number(), defaultPlanId: z.number().nullable() })
  const readSettings = async () => ({
    autoCloseDays: await autoCloseDays(app),
    defaultPlanId: (await app.routing.current(app.db.read)).defaultPlanId(),
  })
  r.get(
    '/api/v1/admin/sla-settings',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Auto-close days and the default SLA plan',
        response: { 200: SettingsOut, ...errors },
      },
    },
    readSettings,
  )
  r.put(
    '/api/v1/admin/sla-settings',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change auto-close days or the default plan',
        body: SlaSettingsIn,
        response: { 200: SettingsOut, ...errors },
      },
    },
    async (req) => {
      await saveSlaSettings(app, requireAgent(req), req.body)
      return readSettings()
    },
  )

  // Department routing and agent availability
  r.patch(
    '/api/v1/admin/agents/:id/availability',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Put an agent on vacation or back',
        params: IdParams,
        body: AgentAvailabilityIn,
        response: { 200: z.object({ id: z.number(), onVacation: z.boolean() }), ...errors },
      },
    },
    async (req) => setAgentAvailability(app, requireAgent(req), req.params.id, req.body),
  )

  // Rules
  const RuleOut = RuleIn.extend({ id: z.number() })
  r.get(
    '/api/v1/admin/rules',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rules, in the order they run',
        response: { 200: z.object({ items: z.array(RuleOut) }), ...errors },
      },
    },
    async () => {
      const rows = await app.db.read
        .selectFrom('rules')
        .selectAll()
        .orderBy('event')
        .orderBy('position')
        .orderBy('id')
        .execute()
      return { items: rows.map(presentRule) }
    },
  )
  r.post(
    '/api/v1/admin/rules',
    {
      config: admin,
      schema: { tags, summary: 'Create a rule', body: RuleIn, response: { 201: RuleOut, ...errors } },
    },
    async (req, reply) => reply.code(201).send(await saveRule(app, requireAgent(req), null, req.body)),
  )
  r.patch(
    '/api/v1/admin/rules/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a rule',
        params: IdParams,
        body: patchOf(RuleIn),
        response: { 200: RuleOut, ...errors },
      },
    },
    async (req) => saveRule(app, requireAgent(req), req.params.id, req.body),
  )
  r.delete(
    '/api/v1/admin/rules/:id',
    {
      config: admin,
      schema: { tags, summary: 'Delete a rule', params: IdParams, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await deleteRule(app, requireAgent(req), req.params.id)
      return reply.code(204).send(null)
    },
  )

  // Help topics
  const TopicOut = TopicIn.extend({ id: z.number() })
  r.get(
    '/api/v1/admin/topics',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All help topics',
        response: { 200: z.object({ items: z.array(TopicOut) }), ...errors },
      },
    },
    async () => {
      const rows = await app.db.read
        .selectFrom('help_topics')
        .selectAll()
        .orderBy('position')
        .orderBy('name')
        .execute()
      return { items: rows.map(presentTopic) }
    },
  )
  r.post(
    '/api/v1/admin/topics',
    {
      config: admin,
      schema: { tags, summary: 'Create a help topic', body: TopicIn, response: { 201: TopicOut, ...errors } },
    },
    async (req, reply) => reply.code(201).send(await saveTopic(app, requireAgent(req), null, req.body)),
  )
  r.patch(
    '/api/v1/admin/topics/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a help topic',
        params: IdParams,
        body: patchOf(TopicIn),
        response: { 200: TopicOut, ...errors },
      },
    },
    async (req) => saveTopic(app, requireAgent(req), req.params.id, req.body),
  )

  // Custom fields
  const FieldOut = CustomFieldIn.extend({ id: z.number() })
  r.get(
    '/api/v1/admin/custom-fields',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Custom ticket fields',
        response: { 200: z.object({ items: z.array(FieldOut) }), ...errors },
      },
    },
    async () => {
      const rows = await app.db.read
        .selectFrom('custom_fields')
        .selectAll()
        .orderBy('position')
        .orderBy('id')
        .execute()
      return { items: rows.map(presentField) }
    },
  )
  r.post(
    '/api/v1/admin/custom-fields',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a custom field',
        body: CustomFieldIn,
        response: { 201: FieldOut, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await saveCustomField(app, requireAgent(req), null, req.body)),
  )
  r.patch(
    '/api/v1/admin/custom-fields/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a custom field',
        params: IdParams,
        body: patchOf(CustomFieldIn),
        response: { 200: FieldOut, ...errors },
      },
    },
    async (req) => saveCustomField(app, requireAgent(req), req.params.id, req.body),
  )

  // Canned responses
  const CannedOut = CannedIn.extend({ id: z.number() })
  r.get(
    '/api/v1/admin/canned-responses',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All canned responses',
        response: { 200: z.object({ items: z.array(CannedOut) }), ...errors },
      },
    },
    async () => {
      const rows = await app.db.read
        .selectFrom('canned_responses')
        .select(['id', 'title', 'body', 'department_id'])
        .orderBy('title')
        .orderBy('id')
        .execute()
      return {
        items: rows.map((c) => ({ id: c.id, title: c.title, body: c.body, departmentId: c.department_id })),
      }
    },
  )
  r.post(
    '/api/v1/admin/canned-responses',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a canned response',
        body: CannedIn,
        response: { 201: CannedOut, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await saveCanned(app, requireAgent(req), null, req.body)),
  )
  r.patch(
    '/api/v1/admin/canned-responses/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a canned response',
        params: IdParams,
        body: patchOf(CannedIn),
        response: { 200: CannedOut, ...errors },
      },
    },
    async (req) => saveCanned(app, requireAgent(req), req.params.id, req.body),
  )
  r.delete(
    '/api/v1/admin/canned-responses/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Delete a canned response',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteCanned(app, requireAgent(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
}
