import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { TicketScope } from '../policies/ticketPolicy.ts'
import { inScope } from './ticketRepo.ts'

export interface NewNotification {
  userId: number
  ticketId: number
  kind: string
  text: string
}

export async function insertNotifications(
  db: Kysely<DB>,
  rows: NewNotification[],
  at: number,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('notifications')
    .values(
      rows.map((n) => ({
        user_id: n.userId,
        ticket_id: n.ticketId,
        kind: n.kind,
        text: n.text,
        created_at: at,
      })),
    )
    .execute()
}

/** A user's notifications, newest first, limited to tickets the user can still see (the ticket access scope). */
export async function listNotifications(
  db: Kysely<DB>,
  userId: number,
  scope: TicketScope,
  opts: { before?: number; limit: number; unreadOnly: boolean },
) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('tickets', 'tickets.id', 'n.ticket_id')
    .select(['n.id', 'n.kind', 'n.text', 'n.created_at', 'n.read_at', 'tickets.number as ticket_number'])
    .where('n.user_id', '=', userId)
    .where(inScope(scope))
    .$if(opts.unreadOnly, (q) => q.where('n.read_at', 'is', null))
    .$if(opts.before !== undefined, (q) => q.where('n.id', '<', opts.before!))
    .orderBy('n.id', 'desc')
    .limit(opts.limit)
    .execute()
}

export async function countUnread(db: Kysely<DB>, userId: number, scope: TicketScope): Promise<number> {
  const row = await db
    .selectFrom('notifications as n')
    .innerJoin('tickets', 'tickets.id', 'n.ticket_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.user_id', '=', userId)
    .where('n.read_at', 'is', null)
    .where(inScope(scope))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function markRead(
  db: Kysely<DB>,
  userId: number,
  ids: number[] | undefined,
  at: number,
): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length > 0 ? ids! : [-1]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
