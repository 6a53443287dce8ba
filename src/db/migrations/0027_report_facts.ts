// Reports (issue 16): one row of facts per ticket and one per (ticket, agent), derived from the event log by
// the report-facts job (src/jobs/reportFacts.ts), which remembers how far it has read in report_progress.
// They hold what the events say (first response, resolution, reopenings, assignments, replies) with the
// durations worked out once, in calendar and in business time, beside a copy of the ticket's columns that access
// and the queue's filters read (department, assignee, team, requester, status, priority…) under the same names
// as in `tickets`: a report then reads this narrow table alone, with the same scope and filter SQL as the queue.
// Joining `tickets` for those columns cost a primary-key lookup into its wide rows for every ticket counted
// (83 ms against 3 ms for 70,000 tickets). Every change to a ticket is an event (invariant 7), so the job
// refreshes the copy with the next batch.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('ticket_facts')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('department_id', 'integer', (c) => c.notNull())
    .addColumn('assignee_agent_id', 'integer')
    .addColumn('assignee_team_id', 'integer')
    .addColumn('requester_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('priority_rank', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'integer')
    .addColumn('sla_state', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('first_response_at', ts)
    .addColumn('first_responder_id', 'integer')
    .addColumn('first_response_ms', ts)
    .addColumn('first_response_business_ms', ts)
    .addColumn('resolved_at', ts)
    .addColumn('resolver_id', 'integer')
    .addColumn('resolution_ms', ts)
    .addColumn('resolution_business_ms', ts)
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_reopened_at', ts)
    .addColumn('responses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sla_first_due_at', ts)
    .addColumn('sla_first_met_at', ts)
    .addColumn('sla_next_due_at', ts)
    .addColumn('sla_next_met_at', ts)
    .addColumn('sla_resolution_due_at', ts)
    .addColumn('sla_resolution_met_at', ts)
    .addColumn('last_event_id', ts, (c) => c.notNull())
    .execute()
  for (const column of ['created_at', 'first_response_at', 'resolved_at', 'last_reopened_at', 'status'])
    await db.schema.createIndex(`ticket_facts_${column}`).on('ticket_facts').columns([column, 'id']).execute()
  await db.schema
    .createTable('ticket_agent_facts')
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', ts)
    .addColumn('first_reply_at', ts)
    .addColumn('replies', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved_at', ts)
    .addColumn('handle_ms', ts, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('ticket_agent_facts_pk', ['ticket_id', 'agent_id'])
    .execute()
  for (const column of ['assigned_at', 'first_reply_at', 'resolved_at'])
    await db.schema
      .createIndex(`ticket_agent_facts_${column}`)
      .on('ticket_agent_facts')
      .columns([column, 'agent_id'])
      .execute()
  await db.schema
    .createTable('report_progress')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_event_id', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
}
