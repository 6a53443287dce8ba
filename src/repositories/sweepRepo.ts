// The sweeps' claims: tickets whose stored due time has passed, read through an index, a batch at a time.
// On PostgreSQL the rows are locked with SKIP LOCKED, so several workers can sweep side by side and a ticket
// that a command is changing right now is simply taken by the next sweep.
import type { Kysely } from 'kysely'
import type { Dialect } from '../db/dialect.ts'
import type { DB } from '../db/schema.ts'

const SWEEP_COLUMNS = [
  'id',
  'number',
  'subject',
  'priority',
  'status',
  'department_id',
  'assignee_agent_id',
  'assignee_team_id',
  'requester_id',
  'sla_plan_id',
  'sla_clock',
  'version',
] as const

export async function claimSlaDue(dialect: Dialect, db: Kysely<DB>, now: number, limit: number) {
  return slaDueQuery(dialect, db, now, limit).execute()
}

/** The sweep's claim, as a query (tests check its plan uses tickets_sla_alert). */
export function slaDueQuery(dialect: Dialect, db: Kysely<DB>, now: number, limit: number) {
  return db
    .selectFrom('tickets')
    .select(SWEEP_COLUMNS)
    .where('sla_alert_at', '<=', now)
    .orderBy('sla_alert_at')
    .orderBy('id')
    .limit(limit)
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
}

export async function claimSnoozeDue(dialect: Dialect, db: Kysely<DB>, now: number, limit: number) {
  return db
    .selectFrom('tickets')
    .select(SWEEP_COLUMNS)
    .where('snoozed_until', '<=', now)
    .orderBy('snoozed_until')
    .orderBy('id')
    .limit(limit)
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute()
}

export async function claimAutoCloseDue(
  dialect: Dialect,
  db: Kysely<DB>,
  resolvedStatuses: string[],
  resolvedBefore: number,
  limit: number,
) {
  if (resolvedStatuses.length === 0) return []
  return db
    .selectFrom('tickets')
    .select(SWEEP_COLUMNS)
    .where('status', 'in', resolvedStatuses)
    .where('closed_at', '<=', resolvedBefore)
    .orderBy('closed_at')
    .orderBy('id')
    .limit(limit)
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute()
}

export type SweepRow = Awaited<ReturnType<typeof claimSlaDue>>[number]
