// The complete ticket view (issue 11).
// - Statuses in workflow order: by category, then the admin's order within it. Existing statuses start at 0
//   and so keep sorting by name until an admin orders them.
// - Agent signatures: a personal one (users.signature) and an optional one per department, added to public
//   replies.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('ticket_statuses')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('users').addColumn('signature', 'text').execute()
  await db.schema.alterTable('departments').addColumn('signature', 'text').execute()
}
