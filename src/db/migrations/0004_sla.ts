// Service levels, routing and automation: schedules, SLA plans, the SLA clock columns on tickets,
// auto-assignment settings, rules, help topics, custom fields, canned responses, tags.
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// Kysely<any> is the documented type for migrations: they must not depend on today's table types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'

  await db.schema
    .createTable('business_schedules')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('weekly', 'text', (c) => c.notNull())
    .addColumn('holidays', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('sla_plans')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('schedule_id', 'integer', (c) => c.references('business_schedules.id'))
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('escalations', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .alterTable('departments')
    .addColumn('manager_id', 'integer', (c) => c.references('users.id'))
    .execute()
  await db.schema
    .alterTable('departments')
    .addColumn('sla_plan_id', 'integer', (c) => c.references('sla_plans.id'))
    .execute()
  await db.schema
    .alterTable('departments')
    .addColumn('auto_assign', 'text', (c) => c.notNull().defaultTo('off'))
    .execute()
  await db.schema.alterTable('departments').addColumn('max_open_per_agent', 'integer').execute()
  await db.schema.alterTable('departments').addColumn('assign_signed_in_within_minutes', 'integer').execute()

  await db.schema
    .alterTable('users')
    .addColumn('on_vacation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('users').addColumn('last_assigned_at', ts).execute()
  await db.schema
    .createIndex('sessions_user_created')
    .on('sessions')
    .columns(['user_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('custom_fields')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('client_visible', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('client_editable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('agent_visible', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('required_on_create', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('required_to_close', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('help_topics')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('priority', 'text')
    .addColumn('sla_plan_id', 'integer', (c) => c.references('sla_plans.id'))
    /** JSON array of custom field keys: the topic's form. */
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('rules')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('match', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stop_processing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('rules_event_position')
    .on('rules')
    .columns(['event', 'position', 'id'])
    .execute()

  await db.schema
    .createTable('canned_responses')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
    .execute()
  await db.schema.createIndex('ticket_tags_tag').on('ticket_tags').columns(['tag', 'ticket_id']).execute()

  const ticketColumns: [string, string][] = [
    ['topic_id', 'integer'],
    ['sla_plan_id', 'integer'],
    ['sla_plan_source', 'text'],
    ['sla_first_response_due_at', ts],
    ['sla_next_response_due_at', ts],
    ['sla_resolution_due_at', ts],
    ['sla_first_responded_at', ts],
    ['sla_state', 'text'],
    // The next instant at which the sweep must look at this ticket (at-risk or breach); null when none.
    ['sla_alert_at', ts],
    // JSON: the clock of each target (start, duration, paused time, stage), see domain/slaClock.ts.
    ['sla_clock', 'text'],
    ['snoozed_until', ts],
  ]
  for (const [name, type] of ticketColumns) {
    await db.schema
      .alterTable('tickets')
      .addColumn(name, type as 'text')
      .execute()
  }
  await db.schema
    .alterTable('tickets')
    .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  // The sweeps read only what is due, through these indexes.
  await db.schema.createIndex('tickets_sla_alert').on('tickets').columns(['sla_alert_at', 'id']).execute()
  await db.schema
    .createIndex('tickets_sla_resolution_due')
    .on('tickets')
    .columns(['sla_resolution_due_at', 'id'])
    .execute()
  await db.schema
    .createIndex('tickets_sla_next_response_due')
    .on('tickets')
    .columns(['sla_next_response_due_at', 'id'])
    .execute()
  await db.schema
    .createIndex('tickets_sla_first_response_due')
    .on('tickets')
    .columns(['sla_first_response_due_at', 'id'])
    .execute()
  await db.schema.createIndex('tickets_snoozed').on('tickets').columns(['snoozed_until', 'id']).execute()
  await db.schema
    .createIndex('tickets_status_closed')
    .on('tickets')
    .columns(['status', 'closed_at'])
    .execute()
  await db.schema.createIndex('tickets_topic').on('tickets').columns(['topic_id']).execute()
  if (dialect === 'postgres') {
    // Containment queries on custom fields (custom_fields::jsonb @> '{"plan":"pro"}') use this index.
    await sql`create index tickets_custom_fields on tickets using gin ((custom_fields::jsonb) jsonb_path_ops)`.execute(
      db,
    )
  }
}
