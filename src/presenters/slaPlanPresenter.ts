import { z } from 'zod'
import type { PlanTargets } from '../domain/slaClock.ts'
import { PRIORITIES } from '../domain/tickets.ts'
import type { Escalation } from '../repositories/slaPlanRepo.ts'

const minutes = z.number().nullable()
const PriorityTargetsOut = z.object({
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes,
  resolutionMinutes: minutes,
  hours: z.enum(['business', '24x7']),
})
export const SlaPlanOut = z.object({
  id: z.number(),
  name: z.string(),
  scheduleId: z.number().nullable(),
  targets: z.object(
    Object.fromEntries(PRIORITIES.map((p) => [p, PriorityTargetsOut])) as Record<
      (typeof PRIORITIES)[number],
      typeof PriorityTargetsOut
    >,
  ),
  escalations: z.array(
    z.object({
      on: z.enum(['at_risk', 'breached']),
      type: z.enum(['raise_priority', 'reassign', 'notify_team']),
      value: z.number().nullable().optional(),
    }),
  ),
  isActive: z.boolean(),
})
export type SlaPlanOut = z.infer<typeof SlaPlanOut>

export function presentSlaPlan(p: {
  id: number
  name: string
  schedule_id: number | null
  targets: string
  escalations: string
  is_active: number
}): SlaPlanOut {
  return {
    id: p.id,
    name: p.name,
    scheduleId: p.schedule_id,
    targets: JSON.parse(p.targets) as PlanTargets,
    escalations: JSON.parse(p.escalations) as Escalation[],
    isActive: p.is_active === 1,
  }
}
