// Macros (issue 10): a named list of actions an agent applies to a ticket, or to many at once. Personal
// macros belong to their owner; shared ones are seen by every agent and kept by admins and agents whose role
// holds `macro.share` (added here to the All Access role of existing installs).
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('macros')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_agent_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON: the actions, in the order they are listed (see src/domain/macros.ts). */
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('macros_owner').on('macros').columns(['owner_agent_id', 'shared']).execute()
  await db.schema.createIndex('macros_shared').on('macros').columns(['shared', 'name']).execute()

  const role = (await db
    .selectFrom('roles')
    .select(['id', 'permissions'])
    .where('key', '=', 'all_access')
    .executeTakeFirst()) as { id: number; permissions: string } | undefined
  if (role) {
    const permissions = JSON.parse(role.permissions) as string[]
    if (!permissions.includes('macro.share'))
      await db
        .updateTable('roles')
        .set({ permissions: JSON.stringify([...permissions, 'macro.share']) })
        .where('id', '=', role.id)
        .execute()
  }
}
