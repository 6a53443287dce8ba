import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely'
import { statusIn, ticketMatches, type Dialect } from '../db/dialect.ts'
import { reusable } from '../db/reusable.ts'
import type { DB, TicketTable } from '../db/schema.ts'
import type { TicketScope } from '../policies/ticketPolicy.ts'

export type TicketRow = Selectable<TicketTable>

const TICKET_COLUMNS = [
  'tickets.id',
  'tickets.number',
  'tickets.subject',
  'tickets.department_id',
  'tickets.assignee_agent_id',
  'tickets.assignee_team_id',
  'tickets.requester_id',
  'tickets.priority',
  'tickets.status',
  'tickets.source',
  'tickets.follow_up_of_id',
  'tickets.version',
  'tickets.created_at',
  'tickets.updated_at',
  'tickets.closed_at',
  'tickets.last_activity_at',
  'tickets.topic_id',
  'tickets.sla_plan_id',
  'tickets.sla_plan_source',
  'tickets.sla_first_response_due_at',
  'tickets.sla_next_response_due_at',
  'tickets.sla_resolution_due_at',
  'tickets.sla_first_responded_at',
  'tickets.sla_state',
  'tickets.sla_alert_at',
  'tickets.sla_clock',
  'tickets.snoozed_until',
  'tickets.custom_fields',
] as const

/** A ticket with the display names that every presenter needs, fetched in the same query. */
export interface TicketListRow extends TicketRow {
  department_name: string
  requester_name: string
  requester_email: string
  assignee_agent_name: string | null
  assignee_team_name: string | null
  follow_up_of_number: string | null
  sla_plan_name: string | null
  topic_name: string | null
}

function withNames(db: Kysely<DB>) {
  return db
    .selectFrom('tickets')
    .innerJoin('departments as d', 'd.id', 'tickets.department_id')
    .innerJoin('users as r', 'r.id', 'tickets.requester_id')
    .leftJoin('users as a', 'a.id', 'tickets.assignee_agent_id')
    .leftJoin('teams as tm', 'tm.id', 'tickets.assignee_team_id')
    .leftJoin('tickets as f', 'f.id', 'tickets.follow_up_of_id')
    .leftJoin('sla_plans as sp', 'sp.id', 'tickets.sla_plan_id')
    .leftJoin('help_topics as ht', 'ht.id', 'tickets.topic_id')
    .select(TICKET_COLUMNS)
    .select([
      'd.name as department_name',
      'r.name as requester_name',
      'r.email as requester_email',
      'a.name as assignee_agent_name',
      'tm.name as assignee_team_name',
      'f.number as follow_up_of_number',
      'sp.name as sla_plan_name',
      'ht.name as topic_name',
    ])
}

const ticketByNumber = reusable((db, number: string) => withNames(db).where('tickets.number', '=', number))
const ticketById = reusable((db, id: number) => withNames(db).where('tickets.id', '=', id))

export async function findTicketByNumber(db: Kysely<DB>, number: string): Promise<TicketListRow | undefined> {
  return (await ticketByNumber(db, number))[0]
}

export async function findTicketById(db: Kysely<DB>, id: number): Promise<TicketListRow | undefined> {
  return (await ticketById(db, id))[0]
}

/** Many tickets with their names in one query (a bulk change's results), in no particular order. */
export async function findTicketsByIds(db: Kysely<DB>, ids: readonly number[]): Promise<TicketListRow[]> {
  if (ids.length === 0) return []
  return withNames(db)
    .where('tickets.id', 'in', [...ids])
    .execute()
}

/** Reads the ticket row for a change. On PostgreSQL it locks the row until commit, so concurrent changes queue. */
export async function lockTicketByNumber(
  dialect: Dialect,
  db: Kysely<DB>,
  number: string,
): Promise<TicketRow | undefined> {
  return db
    .selectFrom('tickets')
    .select(TICKET_COLUMNS)
    .where('number', '=', number)
    .$if(dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
}

export async function isFollower(db: Kysely<DB>, ticketId: number, agentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('ticket_followers')
    .select('agent_id')
    .where('ticket_id', '=', ticketId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst()
  return row !== undefined
}

export async function isCollaborator(db: Kysely<DB>, ticketId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('ticket_collaborators')
    .select('user_id')
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row !== undefined
}

export async function followersOf(db: Kysely<DB>, ticketId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('ticket_followers')
    .innerJoin('users', 'users.id', 'ticket_followers.agent_id')
    .select(['users.id', 'users.name'])
    .where('ticket_followers.ticket_id', '=', ticketId)
    .orderBy('users.name')
    .execute()
}

/** The access rule of ticketPolicy as SQL. Every list, count and search of tickets goes through it. */
export function inScope(scope: TicketScope) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) => {
    switch (scope.kind) {
      case 'requester':
        return eb.or([
          eb('tickets.requester_id', '=', scope.customerId),
          eb.exists(
            eb
              .selectFrom('ticket_collaborators as tc')
              .select('tc.ticket_id')
              .whereRef('tc.ticket_id', '=', 'tickets.id')
              .where('tc.user_id', '=', scope.customerId),
          ),
        ])
      case 'agent': {
        const branches = [
          eb('tickets.assignee_agent_id', '=', scope.agentId),
          eb.exists(
            eb
              .selectFrom('ticket_followers as tf')
              .select('tf.ticket_id')
              .whereRef('tf.ticket_id', '=', 'tickets.id')
              .where('tf.agent_id', '=', scope.followerId),
          ),
        ]
        if (scope.departmentIds.length > 0)
          branches.push(eb('tickets.department_id', 'in', scope.departmentIds))
        if (scope.teamIds.length > 0) branches.push(eb('tickets.assignee_team_id', 'in', scope.teamIds))
        return eb.or(branches)
      }
    }
  }
}

export interface TicketListQuery {
  scope: TicketScope
  /** Only tickets whose status is one of these keys (undefined: any status). */
  statuses?: string[]
  assigneeAgentId?: number
  unassigned?: boolean
  departmentId?: number
  q?: string
  includeNotesInSearch: boolean
  after?: { lastActivityAt: number; id: number }
  limit: number
}

export function listTicketsQuery(dialect: Dialect, db: Kysely<DB>, query: TicketListQuery) {
  const { after, statuses, q } = query
  return withNames(db)
    .where(inScope(query.scope))
    .$if(statuses !== undefined, (qb) =>
      statuses!.length === 0 ? qb.where(sql<boolean>`1 = 0`) : qb.where(statusIn(dialect, statuses!)),
    )
    .$if(query.assigneeAgentId !== undefined, (qb) =>
      qb.where('tickets.assignee_agent_id', '=', query.assigneeAgentId!),
    )
    .$if(query.unassigned === true, (qb) =>
      qb.where('tickets.assignee_agent_id', 'is', null).where('tickets.assignee_team_id', 'is', null),
    )
    .$if(query.departmentId !== undefined, (qb) =>
      qb.where('tickets.department_id', '=', query.departmentId!),
    )
    .$if(q !== undefined && q.trim() !== '', (qb) =>
      qb.where(ticketMatches(dialect, q!, query.includeNotesInSearch)),
    )
    .$if(after !== undefined, (qb) =>
      qb.where((eb) =>
        eb(
          eb.refTuple('tickets.last_activity_at', 'tickets.id'),
          '<',
          eb.tuple(after!.lastActivityAt, after!.id),
        ),
      ),
    )
    .orderBy('tickets.last_activity_at', 'desc')
    .orderBy('tickets.id', 'desc')
    .limit(query.limit)
}

export async function countTickets(
  db: Kysely<DB>,
  scope: TicketScope,
  filter: { statuses?: string[]; assigneeAgentId?: number; unassigned?: boolean; departmentId?: number },
): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inScope(scope))
    .$if(filter.statuses !== undefined, (qb) => qb.where('tickets.status', 'in', filter.statuses!))
    .$if(filter.assigneeAgentId !== undefined, (qb) =>
      qb.where('tickets.assignee_agent_id', '=', filter.assigneeAgentId!),
    )
    .$if(filter.unassigned === true, (qb) =>
      qb.where('tickets.assignee_agent_id', 'is', null).where('tickets.assignee_team_id', 'is', null),
    )
    .$if(filter.departmentId !== undefined, (qb) =>
      qb.where('tickets.department_id', '=', filter.departmentId!),
    )
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
