// Merges and their undo: the rows a merge moves and adds, and the record that lets unmerge put them back.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface MovedEntry {
  id: number
  kind: 'message' | 'response' | 'note'
  body: string
  /** The entry's origin before the merge (null: written on the source). */
  originBefore: number | null
}

export async function entriesOn(db: Kysely<DB>, ticketId: number): Promise<MovedEntry[]> {
  const rows = await db
    .selectFrom('thread_entries')
    .select(['id', 'kind', 'body', 'origin_ticket_id'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: r.id, kind: r.kind, body: r.body, originBefore: r.origin_ticket_id ?? null }))
}

/** Moves entries (and their attachments) to another ticket, each keeping where it was written. */
export async function moveEntries(
  db: Kysely<DB>,
  entries: readonly { id: number; origin: number | null }[],
  toTicketId: number,
): Promise<void> {
  // Grouped by the origin they get, so a merge of any size is a few statements.
  const byOrigin = new Map<number | null, number[]>()
  for (const e of entries) {
    const list = byOrigin.get(e.origin) ?? []
    list.push(e.id)
    byOrigin.set(e.origin, list)
  }
  for (const [origin, ids] of byOrigin) {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      await db
        .updateTable('thread_entries')
        .set({ ticket_id: toTicketId, origin_ticket_id: origin })
        .where('id', 'in', chunk)
        .execute()
      await db
        .updateTable('entry_attachments')
        .set({ ticket_id: toTicketId })
        .where('entry_id', 'in', chunk)
        .execute()
    }
  }
}

export async function collaboratorIds(db: Kysely<DB>, ticketId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('ticket_collaborators')
    .select('user_id')
    .where('ticket_id', '=', ticketId)
    .orderBy('user_id')
    .execute()
  return rows.map((r) => r.user_id)
}

export async function followerIds(db: Kysely<DB>, ticketId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('ticket_followers')
    .select('agent_id')
    .where('ticket_id', '=', ticketId)
    .orderBy('agent_id')
    .execute()
  return rows.map((r) => r.agent_id)
}

export async function addCollaborators(db: Kysely<DB>, ticketId: number, userIds: number[], at: number) {
  if (userIds.length === 0) return
  await db
    .insertInto('ticket_collaborators')
    .values(userIds.map((id) => ({ ticket_id: ticketId, user_id: id, created_at: at })))
    .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing())
    .execute()
}

export async function removeCollaborators(db: Kysely<DB>, ticketId: number, userIds: number[]) {
  if (userIds.length === 0) return
  await db
    .deleteFrom('ticket_collaborators')
    .where('ticket_id', '=', ticketId)
    .where('user_id', 'in', userIds)
    .execute()
}

export async function addFollowers(db: Kysely<DB>, ticketId: number, agentIds: number[], at: number) {
  if (agentIds.length === 0) return
  await db
    .insertInto('ticket_followers')
    .values(agentIds.map((id) => ({ ticket_id: ticketId, agent_id: id, created_at: at })))
    .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doNothing())
    .execute()
}

export async function removeFollowers(db: Kysely<DB>, ticketId: number, agentIds: number[]) {
  if (agentIds.length === 0) return
  await db
    .deleteFrom('ticket_followers')
    .where('ticket_id', '=', ticketId)
    .where('agent_id', 'in', agentIds)
    .execute()
}

export async function taskIdsOn(db: Kysely<DB>, ticketId: number): Promise<number[]> {
  const rows = await db.selectFrom('ticket_tasks').select('id').where('ticket_id', '=', ticketId).execute()
  return rows.map((r) => r.id)
}

export async function moveTasks(db: Kysely<DB>, taskIds: number[], toTicketId: number): Promise<void> {
  if (taskIds.length === 0) return
  await db.updateTable('ticket_tasks').set({ ticket_id: toTicketId }).where('id', 'in', taskIds).execute()
}

export async function insertMerge(
  db: Kysely<DB>,
  m: { sourceId: number; targetId: number; actorId: number; at: number; snapshot: string },
): Promise<number> {
  const row = await db
    .insertInto('ticket_merges')
    .values({
      source_id: m.sourceId,
      target_id: m.targetId,
      actor_id: m.actorId,
      merged_at: m.at,
      snapshot: m.snapshot,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The merge of this source that is still in force (not undone), if any. */
export async function activeMergeOf(db: Kysely<DB>, sourceId: number) {
  return db
    .selectFrom('ticket_merges')
    .selectAll()
    .where('source_id', '=', sourceId)
    .where('unmerged_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

export async function markUnmerged(db: Kysely<DB>, mergeId: number, at: number): Promise<void> {
  await db.updateTable('ticket_merges').set({ unmerged_at: at }).where('id', '=', mergeId).execute()
}

/** Which of these entries still live on the ticket (an entry is never deleted, but stay exact). */
export async function entriesStillOn(db: Kysely<DB>, ticketId: number, ids: number[]): Promise<Set<number>> {
  const found = new Set<number>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('thread_entries')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const r of rows) found.add(r.id)
  }
  return found
}
