import type { App } from '../app.ts'
import { forbidden } from '../errors.ts'
import { lockVisibleTicket } from './ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { writeFollowing } from '../repositories/ticketRepo.ts'

/** An agent follows (or stops following) a ticket they can see, to keep it in sight and be notified. */
export async function setFollowing(
  app: App,
  actor: Actor,
  number: string,
  follow: boolean,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    const following = facts.followedByActor
    if (actor.kind !== 'agent') throw forbidden('Only agents follow tickets.')
    if (following === follow) return
    const at = app.clock.now()
    await writeFollowing(trx, row.id, actor.id, follow, at)
    await insertEvents(
      trx,
      [
        {
          ticketId: row.id,
          actorId: actor.id,
          type: follow ? 'ticket.followed' : 'ticket.unfollowed',
          channel: meta.channel,
          after: { agentId: actor.id },
          at,
        },
      ],
      actor.origin,
    )
  })
}
