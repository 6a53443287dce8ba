import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  // Organisations can be disabled like departments and teams, never deleted: tickets and people refer to them.
  await db.schema
    .alterTable('organizations')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  // The admin customer list pages by (name, id) within customers; the organisation list counts customers.
  await db.schema.createIndex('users_type_name_id').on('users').columns(['type', 'name', 'id']).execute()
  await db.schema.createIndex('users_organization').on('users').column('organization_id').execute()
}
