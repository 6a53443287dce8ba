import { z } from 'zod'
import { AUTO_ASSIGN_MODES } from '../shared/departments.ts'

export const DepartmentOut = z.object({
  id: z.number(),
  name: z.string(),
  parentId: z.number().nullable(),
  isActive: z.boolean(),
  autoAssign: z.enum(AUTO_ASSIGN_MODES),
  maxOpenPerAgent: z.number().nullable(),
  assignSignedInWithinMinutes: z.number().nullable(),
  managerId: z.number().nullable(),
  slaPlanId: z.number().nullable(),
  signature: z.string().nullable().describe('Added under every agent’s public reply in this department'),
})
export function presentDepartment(d: {
  id: number
  name: string
  parent_id: number | null
  is_active: number
  auto_assign: string
  max_open_per_agent: number | null
  assign_signed_in_within_minutes: number | null
  manager_id: number | null
  sla_plan_id: number | null
  signature: string | null
}): z.infer<typeof DepartmentOut> {
  return {
    id: d.id,
    name: d.name,
    parentId: d.parent_id,
    isActive: d.is_active === 1,
    autoAssign: d.auto_assign as z.infer<typeof DepartmentOut>['autoAssign'],
    maxOpenPerAgent: d.max_open_per_agent,
    assignSignedInWithinMinutes: d.assign_signed_in_within_minutes,
    managerId: d.manager_id,
    slaPlanId: d.sla_plan_id,
    signature: d.signature,
  }
}
