// Canned responses: reply templates for agents, global or of one department.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import {
  cannedById,
  deleteCanned as deleteCannedRow,
  insertCanned,
  listCannedResponses,
  updateCanned,
} from '../../repositories/cannedResponseRepo.ts'
import { idExists } from '../../repositories/referenceRepo.ts'
import { id, nonBlank } from '../fields.ts'
import { deleteResource, requireAdmin, saveResource, type AdminMeta } from './adminWrites.ts'

export const CannedIn = z.object({
  title: nonBlank(200),
  body: nonBlank(50_000),
  departmentId: id.nullable().default(null).describe('null: available in every department'),
})
export type CannedIn = z.infer<typeof CannedIn>

/** Creates (`cannedId` null) or changes a canned response. Its event records the id only, not the body. */
export async function saveCanned(
  app: App,
  actor: Actor,
  cannedId: number | null,
  input: Partial<CannedIn>,
  meta: AdminMeta,
) {
  return saveResource(app, actor, meta, {
    store: { what: 'canned response', byId: cannedById, insert: insertCanned, update: updateCanned },
    id: cannedId,
    input,
    merge: (current) =>
      CannedIn.parse({
        ...(current ? { title: current.title, body: current.body, departmentId: current.department_id } : {}),
        ...input,
      }),
    check: async (trx, canned) => {
      if (canned.departmentId !== null && !(await idExists(trx, 'departments', canned.departmentId)))
        throw badRequest('unknown_department', 'That department does not exist.')
    },
    toValues: (c) => ({ title: c.title, body: c.body, department_id: c.departmentId }),
    events: { created: 'admin.canned_created', updated: 'admin.canned_updated' },
    audit: (savedId) => ({ id: savedId }),
  })
}

export async function deleteCanned(app: App, actor: Actor, cannedId: number, meta: AdminMeta) {
  await deleteResource(app, actor, meta, {
    what: 'canned response',
    id: cannedId,
    remove: deleteCannedRow,
    event: 'admin.canned_deleted',
  })
}

export async function cannedResponses(app: App, actor: Actor) {
  requireAdmin(actor)
  return listCannedResponses(app.db.read)
}
