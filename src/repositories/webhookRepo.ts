import { sql, type Kysely, type Selectable } from 'kysely'
import type { Dialect } from '../db/dialect.ts'
import type { DB, WebhookDeliveryTable, WebhookTable } from '../db/schema.ts'

export type WebhookRow = Selectable<WebhookTable>
export type DeliveryRow = Selectable<WebhookDeliveryTable> & { ticket_number: string | null }

export async function listWebhookRows(db: Kysely<DB>): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute()
}

export async function findWebhookRow(db: Kysely<DB>, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function activeWebhookRows(db: Kysely<DB>): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('id').execute()
}

export async function insertWebhookRow(db: Kysely<DB>, values: Omit<WebhookRow, 'id'>): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateWebhookRow(
  db: Kysely<DB>,
  id: number,
  values: Partial<Omit<WebhookRow, 'id' | 'created_at' | 'created_by'>>,
): Promise<WebhookRow | undefined> {
  return db.updateTable('webhooks').set(values).where('id', '=', id).returningAll().executeTakeFirst()
}

export async function deleteWebhookRow(db: Kysely<DB>, id: number): Promise<boolean> {
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute()
  const r = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export interface NewDelivery {
  webhookId: number
  eventId: number
  ticketId: number | null
  event: string
  payload: string
  at: number
}

/** Adds deliveries; one already made for the same webhook and event (a repeated fan-out) is kept as it is. */
export async function insertDeliveries(db: Kysely<DB>, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('webhook_deliveries')
    .values(
      rows.map((r) => ({
        webhook_id: r.webhookId,
        event_id: r.eventId,
        ticket_id: r.ticketId,
        event: r.event,
        payload: r.payload,
        next_attempt_at: r.at,
        created_at: r.at,
      })),
    )
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute()
}

export interface ClaimedDelivery {
  id: number
  webhook_id: number
  event: string
  payload: string
  attempts: number
}

/**
 * Leases due deliveries, counting the attempt. A delivery waits while an earlier one of the same webhook and
 * ticket is still pending (ordered per ticket); the lease makes a worker that dies mid-request leave it to
 * the next. On PostgreSQL, SKIP LOCKED lets several workers claim side by side.
 */
export async function claimDueDeliveries(
  dialect: Dialect,
  db: Kysely<DB>,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const lock = dialect === 'postgres' ? sql`for update of d skip locked` : sql``
  const { rows } = await sql<ClaimedDelivery>`
    update webhook_deliveries set next_attempt_at = ${leaseUntil}, attempts = attempts + 1,
      last_attempt_at = ${now}
    where id in (
      select d.id from webhook_deliveries d
      where d.status = 'pending' and d.next_attempt_at <= ${now}
        and not exists (
          select 1 from webhook_deliveries e
          where e.webhook_id = d.webhook_id and e.ticket_id = d.ticket_id
            and e.status = 'pending' and e.id < d.id)
      order by d.id limit ${limit} ${lock})
    returning id, webhook_id, event, payload, attempts`.execute(db)
  return rows.sort((a, b) => a.id - b.id)
}

export interface DeliveryOutcome {
  status: 'pending' | 'succeeded' | 'failed'
  nextAttemptAt?: number
  responseStatus: number | null
  responseExcerpt: string | null
  error: string | null
  at: number
}

export async function settleDelivery(db: Kysely<DB>, id: number, o: DeliveryOutcome): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: o.status,
      response_status: o.responseStatus,
      response_excerpt: o.responseExcerpt,
      last_error: o.error === null ? null : o.error.slice(0, 2000),
      ...(o.nextAttemptAt !== undefined ? { next_attempt_at: o.nextAttemptAt } : {}),
      ...(o.status === 'pending' ? {} : { finished_at: o.at }),
    })
    .where('id', '=', id)
    .execute()
}

/** Gives back leased deliveries that were not attempted (a stopping worker), the attempt not counted. */
export async function releaseDeliveries(db: Kysely<DB>, ids: number[], now: number): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ next_attempt_at: now, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', ids)
    .execute()
}

/** A failed delivery starts again: pending, due now, with a fresh allowance of attempts. */
export async function requeueDelivery(
  db: Kysely<DB>,
  webhookId: number,
  id: number,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, finished_at: null })
    .where('id', '=', id)
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function findDelivery(
  db: Kysely<DB>,
  webhookId: number,
  id: number,
): Promise<DeliveryRow | undefined> {
  return deliveriesQuery(db, webhookId).where('d.id', '=', id).executeTakeFirst()
}

/** Newest first, keyset-paged on the id. */
export async function listDeliveryRows(
  db: Kysely<DB>,
  webhookId: number,
  q: { before?: number | undefined; status?: string | undefined; limit: number },
): Promise<DeliveryRow[]> {
  let query = deliveriesQuery(db, webhookId)
  if (q.before !== undefined) query = query.where('d.id', '<', q.before)
  if (q.status !== undefined) query = query.where('d.status', '=', q.status as 'pending')
  return query.orderBy('d.id', 'desc').limit(q.limit).execute()
}

function deliveriesQuery(db: Kysely<DB>, webhookId: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .leftJoin('tickets as t', 't.id', 'd.ticket_id')
    .selectAll('d')
    .select('t.number as ticket_number')
    .where('d.webhook_id', '=', webhookId)
}

/** Forgets deliveries that succeeded before `before`; failed and pending ones stay until handled. */
export async function pruneSucceededDeliveries(db: Kysely<DB>, before: number): Promise<void> {
  await db
    .deleteFrom('webhook_deliveries')
    .where('status', '=', 'succeeded')
    .where('finished_at', '<', before)
    .execute()
}

/** The recorded events a fan-out turns into deliveries, with who did them. */
export async function eventsForFanout(db: Kysely<DB>, ids: number[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.ticket_id', 'e.type', 'e.channel', 'e.before', 'e.after', 'e.created_at'])
    .select(['u.id as actor_id', 'u.name as actor_name', 'u.type as actor_type'])
    .where('e.id', 'in', ids)
    .orderBy('e.id')
    .execute()
}

export async function entryForFanout(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('thread_entries as t')
    .innerJoin('users as u', 'u.id', 't.author_id')
    .select(['t.id', 't.ticket_id', 't.kind', 't.body', 't.created_at', 'u.name as author_name'])
    .select('u.type as author_type')
    .where('t.id', '=', id)
    .executeTakeFirst()
}
