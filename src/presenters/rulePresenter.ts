import { z } from 'zod'
import { RULE_ACTIONS, RULE_EVENTS, RULE_OPS } from '../domain/rules.ts'

export const RuleOut = z.object({
  id: z.number(),
  name: z.string(),
  event: z.enum(RULE_EVENTS),
  conditions: z.array(z.object({ field: z.string(), op: z.enum(RULE_OPS), value: z.string() })),
  match: z.enum(['all', 'any']),
  actions: z.array(
    z.object({
      type: z.enum(RULE_ACTIONS),
      value: z.union([z.string(), z.number()]).nullable().optional(),
    }),
  ),
  position: z.number(),
  stopProcessing: z.boolean(),
  isActive: z.boolean(),
})
export type RuleOut = z.infer<typeof RuleOut>

export function presentRule(r: {
  id: number
  name: string
  event: RuleOut['event']
  conditions: string
  match: RuleOut['match']
  actions: string
  position: number
  stop_processing: number
  is_active: number
}): RuleOut {
  return {
    id: r.id,
    name: r.name,
    event: r.event,
    conditions: JSON.parse(r.conditions) as RuleOut['conditions'],
    match: r.match,
    actions: JSON.parse(r.actions) as RuleOut['actions'],
    position: r.position,
    stopProcessing: r.stop_processing === 1,
    isActive: r.is_active === 1,
  }
}
