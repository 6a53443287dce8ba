// Ticket tags. The spelling rules are src/domain/tags.ts; these store and read the normalised tags.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function tagsOf(db: Kysely<DB>, ticketId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('ticket_tags')
    .select('tag')
    .where('ticket_id', '=', ticketId)
    .orderBy('tag')
    .execute()
  return rows.map((r) => r.tag)
}

export async function addTags(db: Kysely<DB>, ticketId: number, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return
  await db
    .insertInto('ticket_tags')
    .values(tags.map((tag) => ({ ticket_id: ticketId, tag })))
    .onConflict((oc) => oc.columns(['ticket_id', 'tag']).doNothing())
    .execute()
}

export async function removeTags(db: Kysely<DB>, ticketId: number, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return
  await db.deleteFrom('ticket_tags').where('ticket_id', '=', ticketId).where('tag', 'in', tags).execute()
}
