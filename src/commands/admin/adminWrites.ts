// What every admin command shares: the admin check, the audit event, and 409 for a name or email in use.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { AppError } from '../../errors.ts'
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
  const code = (error as { code?: unknown } | null)?.code
  // SQLite (better-sqlite3) and PostgreSQL's unique_violation.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
}

/**
 * Runs a write whose uniqueness the command already checked inside its transaction. On PostgreSQL two
 * concurrent requests can both pass that check; the unique index then refuses one, which must answer 409, not 500.
 */
export async function guardUnique<T>(what: string, field: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists(what, field)
    throw error
  }
}
