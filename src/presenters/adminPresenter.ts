// Admin console shapes. Fields are listed one by one: a user row holds a password hash that must never leak.
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

export const TeamOut = z.object({
  id: z.number(),
  name: z.string(),
  isActive: z.boolean(),
  members: z.array(z.object({ id: z.number(), name: z.string() })),
})
export function presentTeam(
  t: { id: number; name: string; is_active: number },
  members: { id: number; name: string }[],
) {
  return {
    id: t.id,
    name: t.name,
    isActive: t.is_active === 1,
    members: members.map((m) => ({ id: m.id, name: m.name })),
  }
}

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

export const OrganizationOut = z.object({
  id: z.number(),
  name: z.string(),
  isActive: z.boolean(),
  customerCount: z.number(),
})
export function presentOrganization(o: {
  id: number
  name: string
  is_active: number
  customer_count: number | null
}) {
  return { id: o.id, name: o.name, isActive: o.is_active === 1, customerCount: Number(o.customer_count ?? 0) }
}

export const RoleOut = z.object({ key: z.string(), name: z.string(), permissions: z.array(z.string()) })
export function presentRole(r: { key: string; name: string; permissions: string }) {
  return { key: r.key, name: r.name, permissions: JSON.parse(r.permissions) as string[] }
}
