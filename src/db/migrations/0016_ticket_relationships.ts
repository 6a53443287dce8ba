// Ticket relationships (issue 12): merges that can be undone, links between tickets, and tasks.
// - tickets.merged_into_id: a merged ticket is closed and points at the ticket its thread joined.
// - thread_entries.origin_ticket_id: the ticket an entry was written on, when it now lives on another (a merge);
//   a customer sees such an entry only when they may see its original ticket.
// - ticket_merges: one row per merge with what it moved and what it added, so unmerge restores it exactly.
// - ticket_relations: links between two tickets, stored once (a_id is the ticket it was added on).
// - ticket_tasks and ticket_task_notes: agent-only tasks that block resolving and closing while open.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  // AUTOINCREMENT on SQLite: an id is never given again after a delete.
  const pk = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
  await db.schema
    .alterTable('tickets')
    .addColumn('merged_into_id', 'integer', (c) => c.references('tickets.id'))
    .execute()
  await db.schema
    .alterTable('thread_entries')
    .addColumn('origin_ticket_id', 'integer', (c) => c.references('tickets.id'))
    .execute()

  await db.schema
    .createTable('ticket_merges')
    .addColumn('id', id, pk)
    .addColumn('source_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('target_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('merged_at', ts, (c) => c.notNull())
    .addColumn('unmerged_at', ts)
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('ticket_merges_source')
    .on('ticket_merges')
    .columns(['source_id', 'id'])
    .execute()

  await db.schema
    .createTable('ticket_relations')
    .addColumn('a_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('b_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_relations_pk', ['a_id', 'b_id'])
    .execute()
  await db.schema.createIndex('ticket_relations_b').on('ticket_relations').columns(['b_id']).execute()

  await db.schema
    .createTable('ticket_tasks')
    .addColumn('id', id, pk)
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('assignee_agent_id', 'integer', (c) => c.references('users.id'))
    .addColumn('assignee_team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('due_at', ts)
    .addColumn('completed_at', ts)
    .addColumn('completed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('ticket_tasks_ticket').on('ticket_tasks').columns(['ticket_id', 'id']).execute()
  await db.schema
    .createIndex('ticket_tasks_agent')
    .on('ticket_tasks')
    .columns(['assignee_agent_id', 'completed_at'])
    .execute()
  await db.schema
    .createTable('ticket_task_notes')
    .addColumn('id', id, pk)
    .addColumn('task_id', 'integer', (c) => c.notNull().references('ticket_tasks.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('ticket_task_notes_task')
    .on('ticket_task_notes')
    .columns(['task_id', 'id'])
    .execute()

  // Installs that already have the built-in roles: Expanded and All Access gain ticket.merge (new installs
  // get it from the seed, which runs after the migrations).
  const roles = (await db
    .selectFrom('roles')
    .select(['id', 'permissions'])
    .where('key', 'in', ['all_access', 'expanded_access'])
    .execute()) as { id: number; permissions: string }[]
  for (const role of roles) {
    const permissions = JSON.parse(role.permissions) as string[]
    if (permissions.includes('ticket.merge')) continue
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify([...permissions, 'ticket.merge']) })
      .where('id', '=', role.id)
      .execute()
  }
}
