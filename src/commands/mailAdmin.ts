// Each agent's alert switches: which notification emails they get. One transaction with its event.
import { z } from 'zod'
import type { App } from '../app.ts'
import type { AgentActor } from '../policies/actor.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { AGENT_ALERTS } from '../mail/ticketMail.ts'
import type { AdminMeta } from './admin/adminWrites.ts'

export const AlertsIn = z.object(
  Object.fromEntries(AGENT_ALERTS.map((a) => [a, z.boolean()])) as Record<
    (typeof AGENT_ALERTS)[number],
    z.ZodBoolean
  >,
)

export async function setMailAlerts(
  app: App,
  agent: AgentActor,
  input: Partial<z.infer<typeof AlertsIn>>,
  meta: AdminMeta,
): Promise<void> {
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const changed: Record<string, boolean> = {}
    for (const [alert, on] of Object.entries(input)) {
      if (on === undefined) continue
      changed[alert] = on
      await trx
        .insertInto('agent_mail_alerts')
        .values({ agent_id: agent.id, alert, enabled: on ? 1 : 0 })
        .onConflict((oc) => oc.columns(['agent_id', 'alert']).doUpdateSet({ enabled: on ? 1 : 0 }))
        .execute()
    }
    if (Object.keys(changed).length === 0) return
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: agent.id,
          type: 'account.mail_alerts_changed',
          channel: meta.channel,
          after: changed,
          at,
        },
      ],
      agent.origin,
    )
  })
}
