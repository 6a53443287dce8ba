import type { App } from '../app.ts'
import { forbidden, notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { canSeeTicket } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { isFollower, lockTicketByNumber } from '../repositories/ticketRepo.ts'
import { insertEvents } from '../repositories/eventRepo.ts'

/** An agent follows (or stops following) a ticket they can see, to keep it in sight and be notified. */
export async function setFollowing(
  app: App,
  actor: Actor,
  number: string,
  follow: boolean,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const row = await lockTicketByNumber(app.db.dialect, trx, number)
    if (!row) throw notFound('ticket')
    const following = actor.kind === 'agent' && (await isFollower(trx, row.id, actor.id))
    const facts = {
      departmentId: row.department_id,
      assigneeAgentId: row.assignee_agent_id,
      assigneeTeamId: row.assignee_team_id,
      requesterId: row.requester_id,
      followedByActor: following,
    }
    if (!canSeeTicket(actor, facts)) throw notFound('ticket')
    if (actor.kind !== 'agent') throw forbidden('Only agents follow tickets.')
    if (following === follow) return
    const at = app.clock.now()
    if (follow) {
      await trx
        .insertInto('ticket_followers')
        .values({ ticket_id: row.id, agent_id: actor.id, created_at: at })
        .execute()
    } else {
      await trx
        .deleteFrom('ticket_followers')
        .where('ticket_id', '=', row.id)
        .where('agent_id', '=', actor.id)
        .execute()
    }
    await insertEvents(trx, [
      {
        ticketId: row.id,
        actorId: actor.id,
        type: follow ? 'ticket.followed' : 'ticket.unfollowed',
        channel: meta.channel,
        after: { agentId: actor.id },
        at,
      },
    ])
  })
}
