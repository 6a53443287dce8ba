import { z } from 'zod'
import type { App } from '../../app.ts'
import { badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { departmentById, departmentIdByName, departmentParents } from '../../repositories/adminRepo.ts'
import { id, nonBlank, text } from '../fields.ts'
import { applyDepartmentRouting, DepartmentRoutingIn } from '../slaAdmin.ts'
import {
  alreadyExists,
  changedFields,
  guardUnique,
  recordAdminEvent,
  requireAdmin,
  type AdminMeta,
} from './adminWrites.ts'

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
      const row = await trx
        .insertInto('departments')
        .values({ name: input.name, parent_id: parentId, created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(async ({ id }) => (await departmentById(trx, id))!)
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
      const routed = await applyDepartmentRouting(trx, app, admin, departmentId, input)
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
      await trx
        .updateTable('departments')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
          ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
          ...(signature !== undefined ? { signature } : {}),
        })
        .where('id', '=', departmentId)
        .execute()
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
