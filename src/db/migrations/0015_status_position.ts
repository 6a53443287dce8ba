// Statuses in workflow order (issue 11): by category, then the admin's order within it. Existing statuses
// start at 0 and so keep sorting by name until an admin orders them.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('ticket_statuses')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}
