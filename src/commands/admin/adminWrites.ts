// What every admin command shares: the admin check, the audit event, 409 for a name or email in use, and the
// load-merge-validate-save skeleton of a configuration resource (saveResource).
import type { Kysely } from 'kysely'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { AppError, notFound } from '../../errors.ts'
import type { Actor, AgentActor } from '../../policies/actor.ts'
import { isAdmin } from '../../policies/adminPolicy.ts'
import { insertEvents, type Channel } from '../../repositories/eventRepo.ts'

export interface AdminMeta {
  channel: Channel
}

/** Commands check this themselves too, so a caller other than the HTTP route (CLI, jobs) cannot skip it. */
export function requireAdmin(actor: Actor): AgentActor {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'admins_only', 'Only admins can use this.')
  return actor
}

export const alreadyExists = (what: string, field: string) =>
  new AppError('conflict', 'already_exists', `A ${what} with this ${field} already exists.`)

/** Fields whose value differs, as before/after objects for the event; undefined when nothing changed. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | undefined {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key]
      a[key] = after[key]
    }
  }
  return Object.keys(a).length === 0 ? undefined : { before: b, after: a }
}

export async function recordAdminEvent(
  trx: Kysely<DB>,
  event: {
    actor: AgentActor
    type: string
    meta: AdminMeta
    before: Record<string, unknown> | null
    after: Record<string, unknown> | null
    at: number
  },
): Promise<void> {
  await insertEvents(
    trx,
    [
      {
        ticketId: null,
        actorId: event.actor.id,
        type: event.type,
        channel: event.meta.channel,
        before: event.before,
        after: event.after,
        at: event.at,
      },
    ],
    event.actor.origin,
  )
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null
  // SQLite (better-sqlite3) and PostgreSQL's unique_violation.
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === '23505' ||
    (typeof e?.message === 'string' && e.message.includes('UNIQUE constraint'))
  )
}

/** Runs `write`; a unique index refusing it answers 409 with `conflict` rather than 500. */
export async function onUniqueViolation<T>(conflict: () => AppError, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict()
    throw error
  }
}

/**
 * Runs a write whose uniqueness the command already checked inside its transaction. On PostgreSQL two
 * concurrent requests can both pass that check; the unique index then refuses one, which must answer 409, not 500.
 */
export function guardUnique<T>(what: string, field: string, write: () => Promise<T>): Promise<T> {
  return onUniqueViolation(() => alreadyExists(what, field), write)
}

/** How one configuration resource is stored: its repository's three writes, keyed by a numeric id. */
export interface ResourceStore<Row, Values> {
  /** For "not found" (`notFound(what)`). */
  what: string
  byId(db: Kysely<DB>, id: number): Promise<Row | undefined>
  insert(db: Kysely<DB>, values: Values, createdAt: number): Promise<number>
  update(db: Kysely<DB>, id: number, values: Values): Promise<void>
}

export interface SaveSpec<Row, Merged, Values> {
  store: ResourceStore<Row, Values>
  /** null creates; a number changes that row (404 when it does not exist). */
  id: number | null
  /** The request as given: the partial patch on a change. */
  input: object
  /** The whole resource: the stored one with the input laid over it, validated (throws 400). */
  merge(current: Row | undefined): Merged
  /** Checks that need the database (referenced rows exist), inside the transaction. */
  check?(trx: Kysely<DB>, merged: Merged, current: Row | undefined): Promise<void>
  toValues(merged: Merged): Values
  /** Event types, e.g. admin.rule_created / admin.rule_updated. */
  events: { created: string; updated: string }
  /** What the event records; by default the id and the input. */
  audit?(id: number): Record<string, unknown>
  /** The 409 to answer when a unique index refuses the write. */
  conflict?: () => AppError
}

/**
 * The one load → merge → validate → save → audit skeleton of the configuration resources (schedules, SLA
 * plans, rules, help topics, custom fields, canned responses). The admin check runs first, in the command.
 */
export async function saveResource<Row, Merged, Values>(
  app: App,
  actor: Actor,
  meta: AdminMeta,
  spec: SaveSpec<Row, Merged, Values>,
): Promise<{ id: number } & Merged> {
  const admin = requireAdmin(actor)
  return app.db.transact(async (trx) => {
    const current = spec.id === null ? undefined : await spec.store.byId(trx, spec.id)
    if (spec.id !== null && !current) throw notFound(spec.store.what)
    const merged = spec.merge(current)
    await spec.check?.(trx, merged, current)
    const values = spec.toValues(merged)
    const at = app.clock.now()
    const write = async () => {
      if (spec.id === null) return spec.store.insert(trx, values, at)
      await spec.store.update(trx, spec.id, values)
      return spec.id
    }
    const savedId = spec.conflict ? await onUniqueViolation(spec.conflict, write) : await write()
    await recordAdminEvent(trx, {
      actor: admin,
      type: spec.id === null ? spec.events.created : spec.events.updated,
      meta,
      before: null,
      after: spec.audit ? spec.audit(savedId) : { id: savedId, ...spec.input },
      at,
    })
    return { id: savedId, ...merged }
  })
}

/** Deletes one row by id with its audit event; 404 when there was none. */
export async function deleteResource(
  app: App,
  actor: Actor,
  meta: AdminMeta,
  spec: { what: string; id: number; remove(db: Kysely<DB>, id: number): Promise<boolean>; event: string },
): Promise<void> {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    if (!(await spec.remove(trx, spec.id))) throw notFound(spec.what)
    await recordAdminEvent(trx, {
      actor: admin,
      type: spec.event,
      meta,
      before: null,
      after: { id: spec.id },
      at: app.clock.now(),
    })
  })
}
