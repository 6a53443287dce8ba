// Organisations: the companies customers belong to.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import {
  insertOrganization,
  listOrganizations,
  organizationById,
  organizationIdByName,
  updateOrganizationRow,
} from '../../repositories/organizationRepo.ts'
import { nonBlank } from '../fields.ts'
import {
  alreadyExists,
  changedFields,
  guardUnique,
  recordAdminEvent,
  requireAdmin,
  type AdminMeta,
} from './adminWrites.ts'

export const CreateOrganization = z.object({ name: nonBlank(200) })
export type CreateOrganization = z.infer<typeof CreateOrganization>

export const UpdateOrganization = z.object({
  name: nonBlank(200).optional(),
  isActive: z.boolean().optional(),
})
export type UpdateOrganization = z.infer<typeof UpdateOrganization>

export async function createOrganization(app: App, actor: Actor, input: CreateOrganization, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return guardUnique('organization', 'name', () =>
    app.db.transact(async (trx) => {
      if ((await organizationIdByName(trx, input.name)) !== undefined)
        throw alreadyExists('organization', 'name')
      const organizationId = await insertOrganization(trx, { name: input.name, created_at: at })
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.organization.created',
        meta,
        before: null,
        after: { id: organizationId, name: input.name },
        at,
      })
      return (await organizationById(trx, organizationId))!
    }),
  )
}

export async function updateOrganization(
  app: App,
  actor: Actor,
  organizationId: number,
  input: UpdateOrganization,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return guardUnique('organization', 'name', () =>
    app.db.transact(async (trx) => {
      const current = await organizationById(trx, organizationId)
      if (!current) throw notFound('organization')
      if (input.name !== undefined && input.name !== current.name) {
        if ((await organizationIdByName(trx, input.name)) !== undefined)
          throw alreadyExists('organization', 'name')
      }
      const change = changedFields(
        { name: current.name, isActive: current.is_active === 1 },
        { name: input.name, isActive: input.isActive },
      )
      if (!change) return current
      await updateOrganizationRow(trx, organizationId, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
      })
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.organization.updated',
        meta,
        before: { id: organizationId, ...change.before },
        after: { id: organizationId, ...change.after },
        at,
      })
      return (await organizationById(trx, organizationId))!
    }),
  )
}

export async function organizations(app: App, actor: Actor) {
  requireAdmin(actor)
  return listOrganizations(app.db.read)
}
