// Ticket links (single-use sign-in links to one ticket): Kysely queries only.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function countLinksSince(db: Kysely<DB>, userId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom('ticket_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertLink(
  db: Kysely<DB>,
  link: { tokenHash: string; userId: number; ticketId: number; createdAt: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('ticket_links')
    .values({
      token_hash: link.tokenHash,
      user_id: link.userId,
      ticket_id: link.ticketId,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
    })
    .execute()
}

/**
 * Marks an unused, unexpired link used and returns whose it is and its ticket's number; undefined when the link
 * is unknown, used or expired, or its account is no longer an active customer. Single-use even against a race.
 */
export async function claimLink(
  db: Kysely<DB>,
  tokenHash: string,
  now: number,
): Promise<{ userId: number; ticketId: number; ticketNumber: string } | undefined> {
  const claimed = await db
    .updateTable('ticket_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) return undefined
  return db
    .selectFrom('ticket_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .innerJoin('tickets as t', 't.id', 'l.ticket_id')
    .select(['l.user_id as userId', 'l.ticket_id as ticketId', 't.number as ticketNumber'])
    .where('l.token_hash', '=', tokenHash)
    .where('u.is_active', '=', 1)
    .where('u.type', '=', 'customer')
    .executeTakeFirst()
}

/** Ends every open link of the account (after a password change or reset). */
export async function endLinksOf(db: Kysely<DB>, userId: number, at: number): Promise<void> {
  await db
    .updateTable('ticket_links')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
}
