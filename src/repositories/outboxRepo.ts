import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../db/dialect.ts'
import type { DB } from '../db/schema.ts'
import { reusable } from '../db/reusable.ts'

const newOutboxRow = reusable((db, topic: string, payload: string, at: number) =>
  db.insertInto('outbox').values({ topic, payload, available_at: at, created_at: at }),
)

export async function enqueue(db: Kysely<DB>, topic: string, payload: unknown, at: number): Promise<void> {
  await newOutboxRow(db, topic, JSON.stringify(payload), at)
}

export async function enqueueMany(
  db: Kysely<DB>,
  topic: string,
  payloads: unknown[],
  at: number,
): Promise<void> {
  if (payloads.length === 0) return
  await db
    .insertInto('outbox')
    .values(payloads.map((p) => ({ topic, payload: JSON.stringify(p), available_at: at, created_at: at })))
    .execute()
}

export interface ClaimedRow {
  id: number
  topic: string
  payload: string
  attempts: number
}

/**
 * Leases due rows: pushes their available_at to `leaseUntil`, so a worker that dies mid-delivery leaves them
 * to be picked up again (at-least-once). On PostgreSQL, SKIP LOCKED lets many workers claim side by side.
 */
export async function claimOutboxRows(
  dialect: Dialect,
  db: Kysely<DB>,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<ClaimedRow[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``
  const { rows } = await sql<ClaimedRow>`
    update outbox set available_at = ${leaseUntil}, attempts = attempts + 1
    where id in (select id from outbox where dead_at is null and available_at <= ${now}
                 order by available_at, id limit ${limit} ${lock})
    returning id, topic, payload, attempts`.execute(db)
  // RETURNING promises no order (PostgreSQL's semi-join returns rows as its hash gives them): deliver in the
  // order the rows were written, or a reader can see a reply before the change made just before it.
  return rows.sort((a, b) => a.id - b.id)
}

export async function deleteOutboxRows(db: Kysely<DB>, ids: number[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('outbox').where('id', 'in', ids).execute()
}

/** Gives back claimed rows that were not attempted (a stopping worker): due now, the attempt not counted. */
export async function releaseOutboxRows(db: Kysely<DB>, ids: number[], now: number): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('outbox')
    .set((eb) => ({ available_at: now, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', ids)
    .execute()
}

export async function failOutboxRow(
  db: Kysely<DB>,
  id: number,
  error: string,
  next: { retryAt: number } | { deadAt: number },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      last_error: error.slice(0, 2000),
      ...('retryAt' in next ? { available_at: next.retryAt } : { dead_at: next.deadAt }),
    })
    .where('id', '=', id)
    .execute()
}
