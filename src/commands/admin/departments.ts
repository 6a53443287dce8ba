// Departments: where tickets belong, how they are assigned, and the SLA plan and signature they carry.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { AUTO_ASSIGN_MODES } from '../../domain/assignment.ts'
import { badRequest, notFound } from '../../errors.ts'
import type { Actor, AgentActor } from '../../policies/actor.ts'
import {
  departmentById,
  departmentIdByName,
  departmentParents,
  listAllDepartments,
  insertDepartment,
  updateDepartmentRow,
} from '../../repositories/departmentRepo.ts'
import { idExists, personKind } from '../../repositories/referenceRepo.ts'
import { id, nonBlank, text } from '../fields.ts'
import {
  alreadyExists,
  changedFields,
  guardUnique,
  recordAdminEvent,
  requireAdmin,
  type AdminMeta,
} from './adminWrites.ts'

export const DepartmentRoutingIn = z.object({
  autoAssign: z.enum(AUTO_ASSIGN_MODES).optional(),
  maxOpenPerAgent: z.number().int().min(1).max(10_000).nullable().optional(),
  assignSignedInWithinMinutes: z.number().int().min(1).max(10_080).nullable().optional(),
  managerId: id.nullable().optional(),
  slaPlanId: id.nullable().optional(),
})
export type DepartmentRoutingIn = z.infer<typeof DepartmentRoutingIn>

export const CreateDepartment = z.object({ name: nonBlank(120), parentId: id.nullable().optional() })
export type CreateDepartment = z.infer<typeof CreateDepartment>

export const UpdateDepartment = z.object({
  name: nonBlank(120).optional(),
  parentId: id.nullable().optional(),
  isActive: z.boolean().optional(),
  /** Added under agents' public replies in this department; null or empty removes it. */
  signature: text(2000, { min: 0 }).nullable().optional(),
  ...DepartmentRoutingIn.shape,
})
export type UpdateDepartment = z.infer<typeof UpdateDepartment>

const unknownDepartment = () => badRequest('unknown_department', 'parentId names no department.')

export async function createDepartment(app: App, actor: Actor, input: CreateDepartment, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return guardUnique('department', 'name', () =>
    app.db.transact(async (trx) => {
      if ((await departmentIdByName(trx, input.name)) !== undefined) throw alreadyExists('department', 'name')
      const parentId = input.parentId ?? null
      if (parentId !== null && !(await departmentById(trx, parentId))) throw unknownDepartment()
      const newId = await insertDepartment(trx, { name: input.name, parent_id: parentId, created_at: at })
      const row = (await departmentById(trx, newId))!
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.department.created',
        meta,
        before: null,
        after: { id: row.id, name: row.name, parentId },
        at,
      })
      return row
    }),
  )
}

export async function updateDepartment(
  app: App,
  actor: Actor,
  departmentId: number,
  input: UpdateDepartment,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return guardUnique('department', 'name', () =>
    app.db.transact(async (trx) => {
      const current = await departmentById(trx, departmentId)
      if (!current) throw notFound('department')
      if (input.name !== undefined && input.name !== current.name) {
        if ((await departmentIdByName(trx, input.name)) !== undefined)
          throw alreadyExists('department', 'name')
      }
      if (input.parentId !== undefined && input.parentId !== null) {
        const parents = await departmentParents(trx)
        if (!parents.has(input.parentId)) throw unknownDepartment()
        // Walk up from the new parent: meeting this department again would make a loop of parents.
        const seen = new Set<number>()
        for (let node: number | null = input.parentId; node !== null; node = parents.get(node) ?? null) {
          if (node === departmentId || seen.has(node))
            throw badRequest(
              'parent_cycle',
              'A department cannot sit under itself or its own sub-department.',
            )
          seen.add(node)
        }
      }
      const routed = await applyDepartmentRouting(trx, admin, departmentId, input, meta, at)
      const signature =
        input.signature === undefined ? undefined : input.signature?.trim() ? input.signature.trimEnd() : null
      const change = changedFields(
        {
          name: current.name,
          parentId: current.parent_id,
          isActive: current.is_active === 1,
          signature: current.signature,
        },
        { name: input.name, parentId: input.parentId, isActive: input.isActive, signature },
      )
      if (!change) return routed ? (await departmentById(trx, departmentId))! : current
      await updateDepartmentRow(trx, departmentId, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
        ...(signature !== undefined ? { signature } : {}),
      })
      const row = (await departmentById(trx, departmentId))!
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.department.updated',
        meta,
        before: { id: departmentId, ...change.before },
        after: { id: departmentId, ...change.after },
        at,
      })
      return row
    }),
  )
}

/**
 * The routing half of PATCH /api/v1/admin/departments/:id (auto-assignment, cap, manager, SLA plan), applied
 * inside updateDepartment's transaction so that one request is one change, with its own event.
 */
async function applyDepartmentRouting(
  trx: Kysely<DB>,
  admin: AgentActor,
  departmentId: number,
  input: DepartmentRoutingIn,
  meta: AdminMeta,
  at: number,
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
  if (typeof input.managerId === 'number' && (await personKind(trx, input.managerId))?.type !== 'agent')
    throw badRequest('unknown_agent', 'The manager must be an agent.')
  if (typeof input.slaPlanId === 'number' && !(await idExists(trx, 'sla_plans', input.slaPlanId)))
    throw badRequest('unknown_plan', 'That SLA plan does not exist.')
  await updateDepartmentRow(trx, departmentId, set)
  const routing = {
    autoAssign: input.autoAssign,
    maxOpenPerAgent: input.maxOpenPerAgent,
    assignSignedInWithinMinutes: input.assignSignedInWithinMinutes,
    managerId: input.managerId,
    slaPlanId: input.slaPlanId,
  }
  await recordAdminEvent(trx, {
    actor: admin,
    type: 'admin.department_routing_updated',
    meta,
    before: null,
    after: { id: departmentId, ...routing },
    at,
  })
  return true
}

export async function departments(app: App, actor: Actor) {
  requireAdmin(actor)
  return listAllDepartments(app.db.read)
}
