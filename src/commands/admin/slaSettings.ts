// The SLA settings: days before a resolved ticket closes itself, and the plan of tickets that name none.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { badRequest } from '../../errors.ts'
import { autoCloseDays } from '../../jobs/statusSweeps.ts'
import type { Actor } from '../../policies/actor.ts'
import type { SlaSettingsOut } from '../../presenters/slaSettingsPresenter.ts'
import { idExists } from '../../repositories/referenceRepo.ts'
import { putSetting } from '../../repositories/settingsRepo.ts'
import { id } from '../fields.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export const SlaSettingsIn = z.object({
  autoCloseDays: z.number().int().min(0).max(3650).optional().describe('0 turns auto-close off'),
  defaultPlanId: id.nullable().optional(),
})
export type SlaSettingsIn = z.infer<typeof SlaSettingsIn>

export async function slaSettings(app: App, actor: Actor): Promise<SlaSettingsOut> {
  requireAdmin(actor)
  return {
    autoCloseDays: await autoCloseDays(app),
    defaultPlanId: (await app.routing.current(app.db.read)).defaultPlanId(),
  }
}

export async function saveSlaSettings(app: App, actor: Actor, input: SlaSettingsIn, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    if (input.autoCloseDays !== undefined)
      await putSetting(trx, 'auto_close_days', String(input.autoCloseDays))
    if (input.defaultPlanId !== undefined) {
      if (input.defaultPlanId !== null && !(await idExists(trx, 'sla_plans', input.defaultPlanId)))
        throw badRequest('unknown_plan', 'That SLA plan does not exist.')
      await putSetting(
        trx,
        'default_sla_plan_id',
        input.defaultPlanId === null ? '' : String(input.defaultPlanId),
      )
    }
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.sla_settings_updated',
      meta,
      before: null,
      after: input,
      at: app.clock.now(),
    })
  })
  return slaSettings(app, admin)
}
