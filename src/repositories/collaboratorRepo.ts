import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface CollaboratorRow {
  id: number
  name: string
  email: string
}

/** The customers copied on a ticket, in the order they were added. */
export async function collaboratorsOf(db: Kysely<DB>, ticketId: number): Promise<CollaboratorRow[]> {
  return db
    .selectFrom('ticket_collaborators as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('c.ticket_id', '=', ticketId)
    .orderBy('c.created_at')
    .orderBy('u.id')
    .execute()
}

/** True when the row is new; adding someone twice is a no-op. */
export async function insertCollaborator(
  db: Kysely<DB>,
  ticketId: number,
  userId: number,
  at: number,
): Promise<boolean> {
  const result = await db
    .insertInto('ticket_collaborators')
    .values({ ticket_id: ticketId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

export async function deleteCollaborator(db: Kysely<DB>, ticketId: number, userId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('ticket_collaborators')
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
