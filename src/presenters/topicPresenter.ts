import { z } from 'zod'
import { PRIORITIES, type Priority } from '../domain/tickets.ts'

export const TopicOut = z.object({
  id: z.number(),
  name: z.string(),
  isPublic: z.boolean(),
  isActive: z.boolean(),
  departmentId: z.number().nullable(),
  priority: z.enum(PRIORITIES).nullable(),
  slaPlanId: z.number().nullable(),
  fields: z.array(z.string()).describe('Custom field keys: the topic’s form'),
  position: z.number(),
})
export type TopicOut = z.infer<typeof TopicOut>

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
}): TopicOut {
  return {
    id: t.id,
    name: t.name,
    isPublic: t.is_public === 1,
    isActive: t.is_active === 1,
    departmentId: t.department_id,
    priority: t.priority as Priority | null,
    slaPlanId: t.sla_plan_id,
    fields: JSON.parse(t.fields) as string[],
    position: t.position,
  }
}
