import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Origin } from '../domain/origin.ts'

export type Channel = 'web' | 'api' | 'email' | 'system'

export interface NewEvent {
  ticketId: number | null
  actorId: number | null
  type: string
  channel: Channel
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  at: number
}

/** Writes events; `origin` is the request they came from (undefined for jobs and the command line). */
export async function insertEvents(
  db: Kysely<DB>,
  events: NewEvent[],
  origin: Origin | undefined,
): Promise<number[]> {
  if (events.length === 0) return []
  const ip = origin?.ip ?? null
  const userAgent = origin?.userAgent ?? null
  const rows = await db
    .insertInto('events')
    .values(
      events.map((e) => ({
        ticket_id: e.ticketId,
        actor_id: e.actorId,
        type: e.type,
        channel: e.channel,
        before: e.before ? JSON.stringify(e.before) : null,
        after: e.after ? JSON.stringify(e.after) : null,
        created_at: e.at,
        ip,
        user_agent: userAgent,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export async function eventsOfTicket(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select([
      'e.id',
      'e.type',
      'e.channel',
      'e.before',
      'e.after',
      'e.created_at',
      'e.actor_id',
      'u.name as actor_name',
    ])
    .where('e.ticket_id', '=', ticketId)
    .orderBy('e.id')
    .execute()
}
