// Fields are listed one by one: a user row holds a password hash that must never leak.
import { z } from 'zod'

export const AgentOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  isActive: z.boolean(),
  isAdmin: z.boolean(),
  onVacation: z
    .boolean()
    .describe('Skipped by auto-assignment; set with PATCH /api/v1/admin/agents/:id/availability'),
  primaryDepartmentId: z.number().nullable(),
  memberships: z.array(
    z.object({
      departmentId: z.number(),
      departmentName: z.string(),
      role: z.string().describe('Role key, as listed by GET /api/v1/admin/roles'),
    }),
  ),
})
export function presentAgent(
  a: {
    id: number
    name: string
    email: string
    is_active: number
    is_admin: number
    on_vacation: number
    primary_department_id: number | null
  },
  memberships: { department_id: number; department_name: string; role: string }[],
) {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    isActive: a.is_active === 1,
    isAdmin: a.is_admin === 1,
    onVacation: a.on_vacation === 1,
    primaryDepartmentId: a.primary_department_id,
    memberships: memberships.map((m) => ({
      departmentId: m.department_id,
      departmentName: m.department_name,
      role: m.role,
    })),
  }
}

export const CustomerOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  isActive: z.boolean(),
  organizationId: z.number().nullable(),
  organizationName: z.string().nullable(),
})
export function presentCustomer(c: {
  id: number
  name: string
  email: string
  is_active: number
  organization_id: number | null
  organization_name: string | null
}) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    isActive: c.is_active === 1,
    organizationId: c.organization_id,
    organizationName: c.organization_name,
  }
}
