// The agent workspace (issue 10): saved views, the sort keys of the queue, counters for the queue counts, and
// the searchable custom field values.
//
// Counts: `GET /api/v1/queues` counted every view with count(*) over the tickets, which took 1.2 s at a million
// open tickets and, on SQLite, blocked the event loop for that long. `ticket_counts` holds the number of tickets
// per combination of the dimensions that views filter on (department, assignee, team, status, priority, SLA
// state); triggers keep it, so every writer (commands, sweeps, the synthetic seed, a migration) keeps it right.
// A view's count is then a sum over a few thousand groups. On PostgreSQL each connection adds to its own
// `slot` (backend pid mod 16), so concurrent creates in the same group do not queue on one counter row.
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

/** Stored in `sla_due_at` when no SLA target runs: tickets without an SLA sort after every due time. */
export const NO_DUE_TIME = 9_007_199_254_740_991

export const COUNTER_SLOTS = 16

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('saved_views')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // Personal views have an owner; shared views none (created_by records who made them).
    .addColumn('owner_agent_id', 'integer', (c) => c.references('users.id'))
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    // For a shared view: the department whose agents see it, or null for every agent.
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('sort', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('saved_views_owner')
    .on('saved_views')
    .columns(['owner_agent_id', 'id'])
    .execute()
  await db.schema
    .createIndex('saved_views_shared')
    .on('saved_views')
    .columns(['shared', 'department_id', 'id'])
    .execute()

  // Sort keys. Generated, so no writer can forget them: the priority's rank (emergency first when descending),
  // and the nearest due time of the running SLA targets (a met first response no longer runs).
  const rank = `case priority when 'emergency' then 4 when 'high' then 3 when 'normal' then 2 else 1 end`
  const firstDue = `case when sla_first_responded_at is null then sla_first_response_due_at end`
  if (dialect === 'sqlite') {
    await sql
      .raw(`alter table tickets add column priority_rank integer generated always as (${rank}) virtual`)
      .execute(db)
    const d = (e: string) => `coalesce(${e}, ${NO_DUE_TIME})`
    await sql
      .raw(
        `alter table tickets add column sla_due_at integer generated always as (min(${d(firstDue)}, ` +
          `${d('sla_next_response_due_at')}, ${d('sla_resolution_due_at')})) virtual`,
      )
      .execute(db)
  } else {
    await sql
      .raw(`alter table tickets add column priority_rank integer generated always as (${rank}) stored`)
      .execute(db)
    await sql
      .raw(
        `alter table tickets add column sla_due_at bigint generated always as (coalesce(least(${firstDue}, ` +
          `sla_next_response_due_at, sla_resolution_due_at), ${NO_DUE_TIME})) stored`,
      )
      .execute(db)
  }
  // One ordered index per sort; the activity sort already has its own (0001), with one per access branch.
  // Indexes led by a department or assignee for these sorts made SQLite, on a database analysed before they
  // existed, read a whole department and sort it: 2 s for the open queue at 1M tickets instead of 1 ms.
  for (const [name, columns] of [
    ['tickets_created', ['created_at', 'id']],
    ['tickets_updated', ['updated_at', 'id']],
    ['tickets_priority', ['priority_rank', 'last_activity_at', 'id']],
    ['tickets_due', ['sla_due_at', 'id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('tickets')
      .columns([...columns])
      .execute()
  }
  // Searching a requester by the start of their name.
  if (dialect === 'postgres') {
    await sql`create index users_lower_name on users (lower(name) text_pattern_ops)`.execute(db)
  } else {
    await sql`create index users_lower_name on users (lower(name))`.execute(db)
  }

  // Custom field values, one row per value, lower-cased, so that a search finds a ticket by one through an index.
  await db.schema
    .createTable('ticket_field_values')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('ticket_field_values_value')
    .on('ticket_field_values')
    .columns(['value', 'ticket_id'])
    .execute()
  await db.schema
    .createIndex('ticket_field_values_ticket')
    .on('ticket_field_values')
    .column('ticket_id')
    .execute()

  await db.schema
    .createTable('ticket_counts')
    .addColumn('department_id', 'integer', (c) => c.notNull())
    // 0: nobody; '': no SLA (the key cannot hold nulls, which never equal each other in a unique index).
    .addColumn('assignee_agent_id', 'integer', (c) => c.notNull())
    .addColumn('assignee_team_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('sla_state', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_counts_pk', [
      'department_id',
      'assignee_agent_id',
      'assignee_team_id',
      'status',
      'priority',
      'sla_state',
      'slot',
    ])
    .execute()

  const key = (r: 'new' | 'old') =>
    `${r}.department_id, coalesce(${r}.assignee_agent_id, 0), coalesce(${r}.assignee_team_id, 0), ` +
    `${r}.status, ${r}.priority, coalesce(${r}.sla_state, '')`
  const keyColumns = 'department_id, assignee_agent_id, assignee_team_id, status, priority, sla_state, slot'
  const changed =
    'old.department_id is not new.department_id or old.assignee_agent_id is not new.assignee_agent_id or ' +
    'old.assignee_team_id is not new.assignee_team_id or old.status is not new.status or ' +
    'old.priority is not new.priority or old.sla_state is not new.sla_state'
  await sql
    .raw(
      `insert into ticket_counts (${keyColumns}, n)
       select department_id, coalesce(assignee_agent_id, 0), coalesce(assignee_team_id, 0), status, priority,
         coalesce(sla_state, ''), 0, count(*) from tickets group by 1, 2, 3, 4, 5, 6`,
    )
    .execute(db)

  // The new permission to share views goes to the built-in roles that hold every ticket permission but delete.
  for (const role of await db
    .selectFrom('roles')
    .select(['id', 'permissions'])
    .where('key', 'in', ['all_access', 'expanded_access'])
    .execute()) {
    const permissions = JSON.parse(role.permissions as string) as string[]
    if (permissions.includes('view.share')) continue
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify([...permissions, 'view.share']) })
      .where('id', '=', role.id)
      .execute()
  }

  if (dialect === 'sqlite') {
    const add = (r: 'new' | 'old', delta: number) =>
      `insert into ticket_counts (${keyColumns}, n) values (${key(r)}, 0, ${delta})
         on conflict (${keyColumns}) do update set n = n + ${delta};`
    await sql
      .raw(`create trigger tickets_count_insert after insert on tickets begin ${add('new', 1)} end`)
      .execute(db)
    await sql
      .raw(`create trigger tickets_count_delete after delete on tickets begin ${add('old', -1)} end`)
      .execute(db)
    await sql
      .raw(
        `create trigger tickets_count_update after update of department_id, assignee_agent_id,
           assignee_team_id, status, priority, sla_state on tickets when ${changed}
         begin ${add('old', -1)} ${add('new', 1)} end`,
      )
      .execute(db)
    // One row per value; a multi-select's array gives one row per choice. Booleans are not searched.
    const values = (id: string, from: string) =>
      `select ${id}, f.key, lower(cast(f.value as text)) from ${from}
         where f.type in ('text', 'integer', 'real') and f.value <> ''
       union all
       select ${id}, f.key, lower(cast(e.value as text)) from ${from}, json_each(f.value) e
         where f.type = 'array' and e.type in ('text', 'integer', 'real') and e.value <> ''`
    await sql
      .raw(
        `insert into ticket_field_values (ticket_id, key, value)
         ${values('t.id', 'tickets t, json_each(t.custom_fields) f')}`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger tickets_fields_insert after insert on tickets when new.custom_fields <> '{}'
         begin insert into ticket_field_values (ticket_id, key, value) ${values('new.id', 'json_each(new.custom_fields) f')}; end`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger tickets_fields_update after update of custom_fields on tickets
         when old.custom_fields is not new.custom_fields
         begin
           delete from ticket_field_values where ticket_id = new.id;
           insert into ticket_field_values (ticket_id, key, value) ${values('new.id', 'json_each(new.custom_fields) f')};
         end`,
      )
      .execute(db)
    return
  }

  await sql
    .raw(
      `create function ticket_counts_keep() returns trigger language plpgsql as $$
      declare s integer := pg_backend_pid() % ${COUNTER_SLOTS};
      begin
        if tg_op = 'UPDATE' then
          if not (${changed.replaceAll(' is not ', ' is distinct from ')}) then return null; end if;
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          insert into ticket_counts (${keyColumns}, n) values (${key('old')}, s, -1)
            on conflict (${keyColumns}) do update set n = ticket_counts.n - 1;
        end if;
        if tg_op in ('UPDATE', 'INSERT') then
          insert into ticket_counts (${keyColumns}, n) values (${key('new')}, s, 1)
            on conflict (${keyColumns}) do update set n = ticket_counts.n + 1;
        end if;
        return null;
      end $$`,
    )
    .execute(db)
  await sql`create trigger tickets_count after insert or delete or update of department_id, assignee_agent_id,
    assignee_team_id, status, priority, sla_state on tickets for each row execute function ticket_counts_keep()`.execute(
    db,
  )
  const pgValues = (id: string, fields: string) =>
    `select ${id}, f.key, lower(v.value)
     from jsonb_each(${fields}::jsonb) f
     cross join lateral (
       select e.value from jsonb_array_elements_text(case when jsonb_typeof(f.value) = 'array'
         then f.value else '[]'::jsonb end) e
       union all
       select f.value #>> '{}' where jsonb_typeof(f.value) in ('string', 'number')
     ) v
     where v.value is not null and v.value <> ''`
  await sql
    .raw(
      `insert into ticket_field_values (ticket_id, key, value)
       select x.* from tickets t cross join lateral (${pgValues('t.id', 't.custom_fields')}) x
       where t.custom_fields <> '{}'`,
    )
    .execute(db)
  await sql
    .raw(
      `create function ticket_fields_keep() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if old.custom_fields is not distinct from new.custom_fields then return null; end if;
          delete from ticket_field_values where ticket_id = new.id;
        end if;
        if new.custom_fields = '{}' then return null; end if;
        insert into ticket_field_values (ticket_id, key, value) ${pgValues('new.id', 'new.custom_fields')};
        return null;
      end $$`,
    )
    .execute(db)
  await sql`create trigger tickets_fields after insert or update of custom_fields on tickets
    for each row execute function ticket_fields_keep()`.execute(db)
}
