// The security policy: whether every agent must use two-factor sign-in, and how long a sign-in lasts.
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { Actor } from '../../policies/actor.ts'
import {
  capSessionExpiry,
  putSessionLifetimeHours,
  sessionLifetimeHours,
} from '../../repositories/securityPolicyRepo.ts'
import { agentTwoFactorRequired, setAgentTwoFactorRequired } from '../twoFactor.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export const SecurityPolicy = z.object({
  requireAgentTwoFactor: z.boolean(),
  sessionLifetimeHours: z
    .number()
    .int()
    .min(1)
    .max(8760)
    .describe('How long a sign-in lasts, from 1 hour to a year; shortening it ends longer sessions sooner'),
})
export type SecurityPolicy = z.infer<typeof SecurityPolicy>
export const SecurityPolicyPatch = SecurityPolicy.partial()

export async function getSecurityPolicy(app: App, actor: Actor): Promise<SecurityPolicy> {
  requireAdmin(actor)
  return {
    requireAgentTwoFactor: await agentTwoFactorRequired(app),
    sessionLifetimeHours: await sessionLifetimeHours(app.db.read),
  }
}

export async function setSecurityPolicy(
  app: App,
  actor: Actor,
  input: z.infer<typeof SecurityPolicyPatch>,
  meta: AdminMeta,
): Promise<SecurityPolicy> {
  const admin = requireAdmin(actor)
  // First, as it may refuse (the admin has no two-factor sign-in yet) before anything else changed.
  if (input.requireAgentTwoFactor !== undefined)
    await setAgentTwoFactorRequired(app, admin, input.requireAgentTwoFactor)
  const hours = input.sessionLifetimeHours
  if (hours !== undefined)
    await app.db.transact(async (trx) => {
      const before = await sessionLifetimeHours(trx)
      if (before === hours) return
      await putSessionLifetimeHours(trx, hours)
      if (hours < before) await capSessionExpiry(trx, hours * 3_600_000)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'settings.security_changed',
        meta,
        before: { sessionLifetimeHours: before },
        after: { sessionLifetimeHours: hours },
        at: app.clock.now(),
      })
    })
  return getSecurityPolicy(app, admin)
}
