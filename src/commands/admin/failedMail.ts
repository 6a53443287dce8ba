// Failed inbound mail: retry it (after a fix, a new intake address, an agent's account) or discard it. A
// discarded message keeps its raw bytes (inbound mail is never dropped) and can be brought back.
import type { App } from '../../app.ts'
import { notFound } from '../../errors.ts'
import { retryFailedMail as processAgain, type Outcome } from '../../mail/receiveEmail.ts'
import type { Actor } from '../../policies/actor.ts'
import { inboundSummary, moveInboundStatus } from '../../repositories/inboundMailRepo.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export async function retryFailedMail(app: App, actor: Actor, id: number): Promise<Outcome> {
  requireAdmin(actor)
  return processAgain(app, id)
}

async function move(
  app: App,
  actor: Actor,
  id: number,
  meta: AdminMeta,
  from: 'failed' | 'discarded',
  to: 'failed' | 'discarded',
): Promise<void> {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    if (!(await moveInboundStatus(trx, id, from, to)))
      throw notFound(from === 'failed' ? 'failed mail' : 'discarded mail')
    const m = await inboundSummary(trx, id)
    await recordAdminEvent(trx, {
      actor: admin,
      type: to === 'discarded' ? 'admin.failed_mail.discarded' : 'admin.failed_mail.restored',
      meta,
      before: null,
      after: { id, sender: m?.sender ?? null },
      at: app.clock.now(),
    })
  })
}

export const discardFailedMail = (app: App, actor: Actor, id: number, meta: AdminMeta) =>
  move(app, actor, id, meta, 'failed', 'discarded')

/** Undoes a discard: the message is back in the failed-mail list. */
export const restoreFailedMail = (app: App, actor: Actor, id: number, meta: AdminMeta) =>
  move(app, actor, id, meta, 'discarded', 'failed')
