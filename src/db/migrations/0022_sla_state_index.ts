// The SLA filter of the queue (sla=breached, at_risk, paused) read through an index in activity order. Without
// it the breached view walked the activity index testing every ticket's state: p99 26 ms at a million tickets
// on SQLite, above the 20 ms of a view page (issue 10).
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('tickets_sla_state_activity')
    .on('tickets')
    .columns(['sla_state', 'last_activity_at', 'id'])
    .execute()
}
