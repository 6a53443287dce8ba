// SLA plans: response and resolution targets per priority, the hours they count in, and escalations.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { PRIORITIES } from '../../domain/tickets.ts'
import { AppError, badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { idExists, personKind } from '../../repositories/referenceRepo.ts'
import { insertPlan, listPlans, planById, updatePlan } from '../../repositories/slaPlanRepo.ts'
import { id, nonBlank } from '../fields.ts'
import { requireAdmin, saveResource, type AdminMeta } from './adminWrites.ts'

const minutes = z.number().int().min(1).max(525_600).nullable()
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

/** Creates (`planId` null) or changes a plan; running tickets pick up new targets at their next change. */
export async function savePlan(
  app: App,
  actor: Actor,
  planId: number | null,
  input: Partial<PlanIn>,
  meta: AdminMeta,
) {
  return saveResource(app, actor, meta, {
    store: { what: 'SLA plan', byId: planById, insert: insertPlan, update: updatePlan },
    id: planId,
    input,
    merge: (current) => {
      const merged = {
        name: input.name ?? current?.name,
        scheduleId: input.scheduleId !== undefined ? input.scheduleId : (current?.schedule_id ?? null),
        targets: input.targets ?? (current ? (JSON.parse(current.targets) as PlanIn['targets']) : undefined),
        escalations:
          input.escalations ?? (current ? (JSON.parse(current.escalations) as PlanIn['escalations']) : []),
        isActive: input.isActive ?? (current ? current.is_active === 1 : true),
      }
      const { name, targets } = merged
      if (!name || !targets) throw badRequest('invalid_plan', 'A plan needs a name and targets.')
      const usesBusiness = Object.values(targets).some((t) => t.hours === 'business')
      if (usesBusiness && merged.scheduleId === null)
        throw badRequest(
          'schedule_required',
          'Targets counted in business hours need a schedule (scheduleId).',
        )
      return { ...merged, name, targets }
    },
    check: async (trx, merged) => {
      if (merged.scheduleId !== null && !(await idExists(trx, 'business_schedules', merged.scheduleId)))
        throw badRequest('unknown_schedule', 'That schedule does not exist.')
      await checkEscalationRefs(trx, merged.escalations)
    },
    toValues: (p) => ({
      name: p.name,
      schedule_id: p.scheduleId,
      targets: JSON.stringify(p.targets),
      escalations: JSON.stringify(p.escalations),
      is_active: p.isActive ? 1 : 0,
    }),
    events: { created: 'admin.sla_plan_created', updated: 'admin.sla_plan_updated' },
    conflict: () => new AppError('conflict', 'plan_exists', 'A plan with that name exists.'),
  })
}

async function checkEscalationRefs(trx: Kysely<DB>, escalations: PlanIn['escalations']) {
  for (const e of escalations) {
    if (e.type === 'notify_team') {
      if (typeof e.value !== 'number') throw badRequest('invalid_escalation', 'notify_team needs a team id.')
      if (!(await idExists(trx, 'teams', e.value)))
        throw badRequest('invalid_escalation', `No team ${e.value}.`)
    }
    if (e.type === 'reassign' && typeof e.value === 'number') {
      const agent = await personKind(trx, e.value)
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

export async function slaPlans(app: App, actor: Actor) {
  requireAdmin(actor)
  return listPlans(app.db.read)
}
