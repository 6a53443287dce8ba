// Ticket statuses: the built-in five and the admin's own, each in a category that says what it means.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { STATUS_CATEGORIES } from '../../domain/tickets.ts'
import { AppError, badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { insertStatus, statusByKey, updateStatusRow } from '../../repositories/statusRepo.ts'
import type { TicketStatus } from '../../statusCatalog.ts'
import { nonBlank } from '../fields.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export const CreateStatus = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _'),
  name: nonBlank(64),
  category: z.enum(STATUS_CATEGORIES),
  position: z.number().int().min(0).max(10_000).default(0),
})
export type CreateStatus = z.infer<typeof CreateStatus>

export const UpdateStatus = z.object({
  name: nonBlank(64).optional(),
  category: z.enum(STATUS_CATEGORIES).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
})
export type UpdateStatus = z.infer<typeof UpdateStatus>

/** The built-in statuses anchor their categories (reopen goes to "open", auto-close to "closed"). */
const ANCHORS = ['open', 'closed', 'resolved']

export async function createStatus(
  app: App,
  actor: Actor,
  input: CreateStatus,
  meta: AdminMeta,
): Promise<TicketStatus> {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    if (await statusByKey(trx, input.key))
      throw new AppError('conflict', 'status_exists', `A status with key "${input.key}" exists.`)
    await insertStatus(trx, input)
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.status_created',
      meta,
      before: null,
      after: input,
      at: app.clock.now(),
    })
  })
  await app.statuses.load(app.db.read)
  return app.statuses.get(input.key)!
}

export async function updateStatus(
  app: App,
  actor: Actor,
  key: string,
  input: UpdateStatus,
  meta: AdminMeta,
): Promise<TicketStatus> {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    const before = await statusByKey(trx, key)
    if (!before) throw notFound('status')
    if (input.category && input.category !== before.category && ANCHORS.includes(key))
      throw badRequest('builtin_status', `The category of the built-in status "${key}" cannot change.`)
    await updateStatusRow(trx, key, {
      ...(input.name ? { name: input.name } : {}),
      ...(input.category ? { category: input.category } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
    })
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.status_updated',
      meta,
      before: null,
      after: { key, ...input },
      at: app.clock.now(),
    })
  })
  await app.statuses.load(app.db.read)
  return app.statuses.get(key)!
}
