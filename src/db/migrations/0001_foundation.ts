import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// Kysely<any> is the documented type for migrations: they must not depend on today's table types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'

  await db.schema
    .createTable('departments')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('departments_name').unique().on('departments').column('name').execute()

  await db.schema
    .createTable('teams')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('roles')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('organizations')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id'))
    .addColumn('primary_department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('users_type_name').on('users').columns(['type', 'name']).execute()

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'agent_id'])
    .execute()
  await db.schema.createIndex('team_members_agent').on('team_members').column('agent_id').execute()

  await db.schema
    .createTable('agent_departments')
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id'))
    .addPrimaryKeyConstraint('agent_departments_pk', ['agent_id', 'department_id'])
    .execute()
  await db.schema
    .createIndex('agent_departments_department')
    .on('agent_departments')
    .column('department_id')
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('ticket_statuses')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('tickets')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('assignee_agent_id', 'integer', (c) => c.references('users.id'))
    .addColumn('assignee_team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().references('ticket_statuses.key'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('follow_up_of_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('closed_at', ts)
    .addColumn('last_activity_at', ts, (c) => c.notNull())
    .execute()
  // Queues are "newest activity first" with keyset pagination on (last_activity_at, id); each access
  // branch (department, assignee, team, requester) gets its own ordered index.
  for (const [name, lead] of [
    ['tickets_activity', []],
    ['tickets_department_activity', ['department_id']],
    ['tickets_assignee_activity', ['assignee_agent_id']],
    ['tickets_team_activity', ['assignee_team_id']],
    ['tickets_requester_activity', ['requester_id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('tickets')
      .columns([...lead, 'last_activity_at', 'id'])
      .execute()
  }

  await db.schema
    .createTable('thread_entries')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('thread_entries_ticket')
    .on('thread_entries')
    .columns(['ticket_id', 'id'])
    .execute()

  await db.schema
    .createTable('ticket_followers')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_followers_pk', ['ticket_id', 'agent_id'])
    .execute()
  await db.schema
    .createIndex('ticket_followers_agent')
    .on('ticket_followers')
    .columns(['agent_id', 'ticket_id'])
    .execute()

  await db.schema
    .createTable('events')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_ticket').on('events').columns(['ticket_id', 'id']).execute()

  await db.schema
    .createTable('notifications')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('read_at', ts)
    .execute()
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute()

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', ts, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('dead_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('outbox_due').on('outbox').columns(['available_at', 'id']).execute()

  // Full-text search over subjects and thread bodies. Notes are indexed too (agents search them),
  // flagged so that customer searches can leave them out.
  if (dialect === 'sqlite') {
    // rowid = thread entry id for entries, and minus the ticket id for the subject row.
    await sql`create virtual table ticket_search using fts5(
      content, ticket_id unindexed, internal unindexed, tokenize = 'unicode61 remove_diacritics 2')`.execute(
      db,
    )
  } else {
    await sql`alter table tickets add column subject_tsv tsvector
      generated always as (to_tsvector('simple', subject)) stored`.execute(db)
    await sql`alter table thread_entries add column body_tsv tsvector
      generated always as (to_tsvector('simple', left(body, 100000))) stored`.execute(db)
    await sql`create index tickets_subject_tsv on tickets using gin (subject_tsv)`.execute(db)
    await sql`create index thread_entries_body_tsv on thread_entries using gin (body_tsv)`.execute(db)
  }
}
