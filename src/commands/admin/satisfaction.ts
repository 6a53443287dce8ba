// Admins turn the satisfaction survey on per department and word its question (issue 16).
import { z } from 'zod'
import type { App } from '../../app.ts'
import { notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { findDepartment } from '../../repositories/directoryRepo.ts'
import { findSetting, saveSetting } from '../../repositories/satisfactionRepo.ts'
import { nonBlank } from '../fields.ts'
import { DEFAULT_QUESTION } from '../satisfactionSurvey.ts'
import { changedFields, recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export const SatisfactionSettingIn = z.object({
  enabled: z.boolean(),
  question: nonBlank(200).default(DEFAULT_QUESTION),
})
export type SatisfactionSettingIn = z.infer<typeof SatisfactionSettingIn>

export async function saveSatisfactionSetting(
  app: App,
  actor: Actor,
  departmentId: number,
  input: SatisfactionSettingIn,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const department = await findDepartment(trx, departmentId)
    if (!department) throw notFound('department')
    const current = await findSetting(trx, departmentId)
    const before = { enabled: current?.enabled === 1, question: current?.question ?? DEFAULT_QUESTION }
    const after = { enabled: input.enabled, question: input.question }
    await saveSetting(trx, { departmentId, ...after, at })
    const changed = changedFields(before, after)
    if (changed)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.satisfaction_updated',
        meta,
        before: { departmentId, ...changed.before },
        after: { departmentId, ...changed.after },
        at,
      })
    return { departmentId, department: department.name, ...after }
  })
}
