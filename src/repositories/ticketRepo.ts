import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  type Updateable,
} from 'kysely'
import { namePrefix, pgSearchCandidates, statusIn, ticketMatches, type Dialect } from '../db/dialect.ts'
import type { QueueSort } from '../domain/queueFilters.ts'
import { PRIORITIES, type Priority } from '../domain/tickets.ts'
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
  'tickets.merged_into_id',
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
  'tickets.priority_rank',
  'tickets.sla_due_at',
] as const

/** A ticket with the display names that every presenter needs (fetched in the same query) and its tags. */
export interface TicketListRow extends TicketNamesRow {
  tags: string[]
}

interface TicketNamesRow extends TicketRow {
  department_name: string
  requester_name: string
  requester_email: string
  assignee_agent_name: string | null
  assignee_team_name: string | null
  follow_up_of_number: string | null
  merged_into_number: string | null
  sla_plan_name: string | null
  topic_name: string | null
}

function withNames(db: Kysely<DB>) {
  // Tickets drive the join: SQLite keeps the order of a CROSS JOIN, PostgreSQL plans it as the inner join it
  // is. With inner joins SQLite started from users for a queue's next page (the cursor's range made the
  // requester index look cheap) and sorted a million tickets: 17 s instead of milliseconds.
  return db
    .selectFrom('tickets')
    .crossJoin('departments as d')
    .crossJoin('users as r')
    .whereRef('d.id', '=', 'tickets.department_id')
    .whereRef('r.id', '=', 'tickets.requester_id')
    .leftJoin('users as a', 'a.id', 'tickets.assignee_agent_id')
    .leftJoin('teams as tm', 'tm.id', 'tickets.assignee_team_id')
    .leftJoin('tickets as f', 'f.id', 'tickets.follow_up_of_id')
    .leftJoin('tickets as mi', 'mi.id', 'tickets.merged_into_id')
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
      'mi.number as merged_into_number',
      'sp.name as sla_plan_name',
      'ht.name as topic_name',
    ])
}

const ticketByNumber = reusable((db, number: string) => withNames(db).where('tickets.number', '=', number))
const ticketById = reusable((db, id: number) => withNames(db).where('tickets.id', '=', id))

const tagsOfTicket = reusable((db, id: number) =>
  db.selectFrom('ticket_tags').select('tag').where('ticket_id', '=', id).orderBy('tag'),
)

async function withTagsOf(db: Kysely<DB>, row: TicketNamesRow | undefined) {
  if (!row) return undefined
  return { ...row, tags: (await tagsOfTicket(db, row.id)).map((t) => t.tag) }
}

export async function findTicketByNumber(db: Kysely<DB>, number: string): Promise<TicketListRow | undefined> {
  return withTagsOf(db, (await ticketByNumber(db, number))[0])
}

export async function findTicketById(db: Kysely<DB>, id: number): Promise<TicketListRow | undefined> {
  return withTagsOf(db, (await ticketById(db, id))[0])
}

/** The tags of a page of tickets, in one query. */
export async function withTags(db: Kysely<DB>, rows: TicketNamesRow[]): Promise<TicketListRow[]> {
  if (rows.length === 0) return []
  const tags = await db
    .selectFrom('ticket_tags')
    .select(['ticket_id', 'tag'])
    .where(
      'ticket_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('tag')
    .execute()
  const byTicket = new Map<number, string[]>()
  for (const t of tags) {
    let list = byTicket.get(t.ticket_id)
    if (!list) byTicket.set(t.ticket_id, (list = []))
    list.push(t.tag)
  }
  return rows.map((r) => ({ ...r, tags: byTicket.get(r.id) ?? [] }))
}

/** Many tickets with their names in one query (a bulk change's results), in no particular order. */
export async function findTicketsByIds(db: Kysely<DB>, ids: readonly number[]): Promise<TicketListRow[]> {
  if (ids.length === 0) return []
  return withTags(
    db,
    await withNames(db)
      .where('tickets.id', 'in', [...ids])
      .execute(),
  )
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

/** The same by id (a merge locks its two tickets in id order, so two merges never wait on each other). */
export async function lockTicketById(
  dialect: Dialect,
  db: Kysely<DB>,
  id: number,
): Promise<TicketRow | undefined> {
  return db
    .selectFrom('tickets')
    .select(TICKET_COLUMNS)
    .where('id', '=', id)
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

/**
 * Which tickets a queue holds, as data: every field narrows, an absent field does not filter, and a list
 * matches any of its values. The query layer builds it from QueueFilters and the built-in views.
 */
export interface TicketConditions {
  /** Status keys (undefined: any; empty: none). */
  statuses?: string[]
  priorities?: string[]
  departmentIds?: number[]
  /** Assigned to one of these agents, or (with `unassignedAgent`) to no agent. */
  assigneeAgentIds?: number[]
  unassignedAgent?: boolean
  teamIds?: number[]
  unassignedTeam?: boolean
  requesterIds?: number[]
  requesterEmails?: string[]
  organizationIds?: number[]
  tags?: string[]
  slaStates?: string[]
  createdFrom?: number
  createdTo?: number
  updatedFrom?: number
  updatedTo?: number
  /** Only tickets this agent follows. */
  followedBy?: number
}

/** The conditions that ticket_counts can answer: on its dimensions only. */
export const COUNTED_CONDITIONS = new Set<keyof TicketConditions>([
  'statuses',
  'priorities',
  'departmentIds',
  'assigneeAgentIds',
  'unassignedAgent',
  'teamIds',
  'unassignedTeam',
  'slaStates',
  'followedBy',
])

type TicketsEb = ExpressionBuilder<DB, 'tickets'>

/** Conditions as SQL; `statusIn` keeps SQLite reading in sort order (see dialect.ts). */
function matching(dialect: Dialect, c: TicketConditions, driveById = false) {
  // Counting within an id window: `+` keeps SQLite from reading through a tag's or a requester's list instead.
  const ticketId = driveById && dialect === 'sqlite' ? sql<number>`+tickets.id` : sql<number>`tickets.id`
  const requesterId =
    driveById && dialect === 'sqlite' ? sql<number>`+tickets.requester_id` : sql<number>`tickets.requester_id`
  return (eb: TicketsEb) => {
    const all: Expression<SqlBool>[] = []
    const anyOf = (branches: Expression<SqlBool>[]) =>
      all.push(branches.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(branches))
    if (c.statuses !== undefined)
      all.push(c.statuses.length === 0 ? sql<SqlBool>`1 = 0` : statusIn(dialect, c.statuses))
    // One priority is read through its rank (tickets_priority is (rank, activity, id)), in activity order on
    // both databases. Several make a large share of the queue, found faster walking the activity index.
    if (c.priorities !== undefined)
      anyOf(
        c.priorities.length === 1
          ? [eb('tickets.priority_rank', '=', priorityRank(c.priorities[0]!))]
          : c.priorities.length
            ? [eb('tickets.priority', 'in', c.priorities)]
            : [],
      )
    if (c.departmentIds !== undefined)
      anyOf(c.departmentIds.length ? [eb('tickets.department_id', 'in', c.departmentIds)] : [])
    if (c.assigneeAgentIds !== undefined || c.unassignedAgent) {
      const branches: Expression<SqlBool>[] = []
      if (c.assigneeAgentIds?.length) branches.push(eb('tickets.assignee_agent_id', 'in', c.assigneeAgentIds))
      if (c.unassignedAgent) branches.push(eb('tickets.assignee_agent_id', 'is', null))
      anyOf(branches)
    }
    if (c.teamIds !== undefined || c.unassignedTeam) {
      const branches: Expression<SqlBool>[] = []
      if (c.teamIds?.length) branches.push(eb('tickets.assignee_team_id', 'in', c.teamIds))
      if (c.unassignedTeam) branches.push(eb('tickets.assignee_team_id', 'is', null))
      anyOf(branches)
    }
    if (c.requesterIds !== undefined || c.requesterEmails !== undefined) {
      const branches: Expression<SqlBool>[] = []
      if (c.requesterIds?.length) branches.push(eb(requesterId, 'in', c.requesterIds))
      if (c.requesterEmails?.length)
        branches.push(
          eb(
            requesterId,
            'in',
            eb.selectFrom('users').select('users.id').where('users.email', 'in', c.requesterEmails),
          ),
        )
      anyOf(branches)
    }
    if (c.organizationIds !== undefined)
      anyOf(
        c.organizationIds.length
          ? [
              eb(
                requesterId,
                'in',
                eb
                  .selectFrom('users')
                  .select('users.id')
                  .where('users.organization_id', 'in', c.organizationIds),
              ),
            ]
          : [],
      )
    if (c.tags !== undefined)
      anyOf(
        c.tags.length
          ? [
              eb(
                ticketId,
                'in',
                eb
                  .selectFrom('ticket_tags')
                  .select('ticket_tags.ticket_id')
                  .where('ticket_tags.tag', 'in', c.tags),
              ),
            ]
          : [],
      )
    // One SLA state through tickets_sla_state_activity, in activity order; several (a larger share) walking the
    // activity index: on SQLite the unary plus keeps the planner from gathering and sorting them all.
    if (c.slaStates !== undefined)
      anyOf(
        c.slaStates.length === 1
          ? [eb('tickets.sla_state', '=', c.slaStates[0] as never)]
          : c.slaStates.length
            ? [
                dialect === 'sqlite'
                  ? sql<SqlBool>`+tickets.sla_state in (${sql.join(c.slaStates)})`
                  : eb('tickets.sla_state', 'in', c.slaStates as never[]),
              ]
            : [],
      )
    if (c.createdFrom !== undefined) all.push(eb('tickets.created_at', '>=', c.createdFrom))
    if (c.createdTo !== undefined) all.push(eb('tickets.created_at', '<=', c.createdTo))
    if (c.updatedFrom !== undefined) all.push(eb('tickets.updated_at', '>=', c.updatedFrom))
    if (c.updatedTo !== undefined) all.push(eb('tickets.updated_at', '<=', c.updatedTo))
    // The followed tickets are few: read them through ticket_followers_agent and sort them, rather than walk
    // the whole queue in order looking for them.
    if (c.followedBy !== undefined)
      all.push(
        eb(
          ticketId,
          'in',
          eb
            .selectFrom('ticket_followers as qf')
            .select('qf.ticket_id')
            .where('qf.agent_id', '=', c.followedBy),
        ),
      )
    return all.length === 0 ? sql<SqlBool>`1 = 1` : eb.and(all)
  }
}

/** Every one of `conditions` as SQL on `tickets` (reports and exports narrow by the queue's filters too). */
export function ticketConditionsHold(dialect: Dialect, conditions: readonly TicketConditions[]) {
  return (eb: TicketsEb) => eb.and(conditions.map((c) => matching(dialect, c)(eb)))
}

/** The sort keys of each queue sort, most significant first; `id` always breaks ties. */
export const SORT_KEYS = {
  activity: ['last_activity_at'],
  created: ['created_at'],
  updated: ['updated_at'],
  priority: ['priority_rank', 'last_activity_at'],
  due: ['sla_due_at'],
} as const satisfies Record<QueueSort, readonly (keyof TicketRow)[]>

export interface TicketListQuery {
  scope: TicketScope
  /** Every one of these holds (a built-in view's, then the filters). */
  conditions: TicketConditions[]
  /** Full-text and lookup search (number, requester, tag, custom field values, words). */
  search?: TicketSearch
  sort: QueueSort
  order: 'asc' | 'desc'
  /** The sort keys and id of the last ticket of the previous page. */
  after?: number[]
  /** Left out (the ticket a number search puts first). */
  exceptId?: number
  limit: number
}

export interface TicketSearch {
  q: string
  includeNotes: boolean
  /** Custom field keys whose values may match (the ones the searcher may see). */
  fieldKeys: string[]
}

export function listTicketsQuery(dialect: Dialect, db: Kysely<DB>, query: TicketListQuery) {
  const keys = [...SORT_KEYS[query.sort].map((k) => `tickets.${k}` as const), 'tickets.id' as const]
  const { after, order } = query
  let qb = withNames(db)
    .where(inScope(query.scope))
    .where((eb) => eb.and(query.conditions.map((c) => matching(dialect, c)(eb))))
    .$if(query.search !== undefined, (qb) => qb.where(searchMatches(dialect, query.search!)))
    .$if(query.exceptId !== undefined, (qb) => qb.where('tickets.id', '<>', query.exceptId!))
    .$if(after !== undefined, (qb) =>
      qb.where((eb) =>
        eb(
          eb.refTuple(...(keys as [(typeof keys)[number], (typeof keys)[number]])),
          order === 'desc' ? '<' : '>',
          eb.tuple(...(after as [number, number])),
        ),
      ),
    )
  for (const k of keys) qb = qb.orderBy(k, order)
  return qb.limit(query.limit)
}

/**
 * What a search box finds: the ticket of that number, tickets of a requester found by email or by the start of
 * their name, tickets with that tag or custom field value, and tickets whose subject or thread has the words.
 * Every branch is bounded, so no search reads more than a few thousand index entries.
 */
function searchMatches(dialect: Dialect, search: TicketSearch) {
  if (dialect === 'postgres') return pgSearchMatches(search)
  return (eb: TicketsEb) => {
    const q = search.q.trim()
    const lower = q.toLowerCase()
    const branches: Expression<SqlBool>[] = [ticketMatches(dialect, q, search.includeNotes)]
    const number = /^#?(\d{1,12})$/.exec(q)?.[1]
    if (number !== undefined) branches.push(eb('tickets.number', '=', number))
    if (q.length >= 2 && q.length <= 254) {
      branches.push(
        eb(
          'tickets.requester_id',
          'in',
          eb
            .selectFrom('users')
            .select('users.id')
            .where('users.type', '=', 'customer')
            .where((u) => u.or([u('users.email', '=', lower), namePrefix(dialect, q)]))
            .limit(REQUESTERS_MATCHED),
        ),
      )
      branches.push(
        eb(
          'tickets.id',
          'in',
          eb.selectFrom('ticket_tags').select('ticket_tags.ticket_id').where('ticket_tags.tag', '=', lower),
        ),
      )
      if (search.fieldKeys.length > 0)
        branches.push(
          eb(
            'tickets.id',
            'in',
            eb
              .selectFrom('ticket_field_values')
              .select('ticket_field_values.ticket_id')
              .where('ticket_field_values.value', '=', lower)
              .where('ticket_field_values.key', 'in', search.fieldKeys),
          ),
        )
    }
    return eb.or(branches)
  }
}

/** At most this many customers match a name search (a search for "an" must not gather every Anna). */
const REQUESTERS_MATCHED = 20

/** The rank migration 0011 stores for a priority: low 1 … emergency 4. */
const priorityRank = (p: string) => PRIORITIES.indexOf(p as Priority) + 1

/** The same branches as searchMatches, for PostgreSQL as one set of candidate ids (see pgSearchCandidates). */
function pgSearchMatches(search: TicketSearch) {
  const q = search.q.trim()
  const lower = q.toLowerCase()
  const extra: RawBuilder<unknown>[] = []
  const number = /^#?(\d{1,12})$/.exec(q)?.[1]
  if (number !== undefined) extra.push(sql`select id from tickets where number = ${number}`)
  if (q.length >= 2 && q.length <= 254) {
    extra.push(sql`select t.id from tickets t where t.requester_id in (
      select users.id from users where users.type = 'customer'
        and (users.email = ${lower} or ${namePrefix('postgres', q)}) limit ${REQUESTERS_MATCHED})`)
    extra.push(sql`select ticket_id from ticket_tags where tag = ${lower}`)
    if (search.fieldKeys.length > 0)
      extra.push(sql`select ticket_id from ticket_field_values
        where value = ${lower} and key in (${sql.join(search.fieldKeys)})`)
  }
  return () => pgSearchCandidates(q, search.includeNotes, extra)
}

export interface CountGroup {
  departmentId: number
  assigneeAgentId: number | null
  assigneeTeamId: number | null
  status: string
  priority: string
  slaState: string | null
  n: number
}

const groupOf = (r: {
  department_id: number
  assignee_agent_id: number | null
  assignee_team_id: number | null
  status: string
  priority: string
  sla_state: string | null
  n: number | string
}): CountGroup => ({
  departmentId: r.department_id,
  assigneeAgentId: r.assignee_agent_id === 0 ? null : r.assignee_agent_id,
  assigneeTeamId: r.assignee_team_id === 0 ? null : r.assignee_team_id,
  status: r.status,
  priority: r.priority,
  slaState: r.sla_state === '' ? null : r.sla_state,
  n: Number(r.n),
})

/**
 * The kept counts of the tickets an agent sees through a department, an assignment or a team, one row per
 * combination of the counted dimensions (the followed tickets are counted by followedGroups).
 */
export async function countGroupsInScope(
  db: Kysely<DB>,
  scope: { agentId: number; departmentIds: number[]; teamIds: number[] },
): Promise<CountGroup[]> {
  const rows = await db
    .selectFrom('ticket_counts')
    .select([
      'department_id',
      'assignee_agent_id',
      'assignee_team_id',
      'status',
      'priority',
      'sla_state',
      (eb) => eb.fn.sum<number>('n').as('n'),
    ])
    .where((eb) =>
      eb.or([
        eb('assignee_agent_id', '=', scope.agentId),
        ...(scope.departmentIds.length ? [eb('department_id', 'in', scope.departmentIds)] : []),
        ...(scope.teamIds.length ? [eb('assignee_team_id', 'in', scope.teamIds)] : []),
      ]),
    )
    .groupBy(['department_id', 'assignee_agent_id', 'assignee_team_id', 'status', 'priority', 'sla_state'])
    .having((eb) => eb.fn.sum('n'), '<>', 0)
    .execute()
  return rows.map(groupOf)
}

/** The tickets an agent follows, grouped by the counted dimensions. */
export async function followedGroups(db: Kysely<DB>, agentId: number): Promise<CountGroup[]> {
  const rows = await db
    .selectFrom('ticket_followers as f')
    .innerJoin('tickets as t', 't.id', 'f.ticket_id')
    .select([
      't.department_id',
      't.assignee_agent_id',
      't.assignee_team_id',
      't.status',
      't.priority',
      't.sla_state',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('f.agent_id', '=', agentId)
    .groupBy([
      't.department_id',
      't.assignee_agent_id',
      't.assignee_team_id',
      't.status',
      't.priority',
      't.sla_state',
    ])
    .execute()
  return rows.map(groupOf)
}

/**
 * Counts the tickets of a queue whose conditions the kept counts cannot answer (requester, tags, dates) among
 * the newest `window` tickets only, stopping at `cap`. Bounding the matches alone was not enough: at a million
 * tickets "open VIP tickets" read 39,000 tagged rows to find 1,000 in scope (440 ms); reading at most `window`
 * rows by id keeps every such count to a few milliseconds. `complete` is false when older tickets were not read
 * or the cap was reached: the count is then a lower bound.
 */
export async function countTicketsCapped(
  dialect: Dialect,
  db: Kysely<DB>,
  scope: TicketScope,
  conditions: TicketConditions[],
  limits: { cap: number; window: number },
): Promise<{ n: number; complete: boolean }> {
  const top = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('tickets.id').as('id'))
    .executeTakeFirst()
  const from = Number(top?.id ?? 0) - limits.window
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('tickets')
        .select('tickets.id')
        .where('tickets.id', '>', from)
        .where(inScope(scope))
        .where((eb) => eb.and(conditions.map((c) => matching(dialect, c, true)(eb))))
        .limit(limits.cap + 1)
        .as('capped'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const n = Number(row.n)
  return { n: Math.min(n, limits.cap), complete: n <= limits.cap && from <= 0 }
}

/** The same conditions as `matching`, on one group of the kept counts (only COUNTED_CONDITIONS apply). */
export function groupMatches(c: TicketConditions, g: CountGroup): boolean {
  if (c.statuses !== undefined && !c.statuses.includes(g.status)) return false
  if (c.priorities !== undefined && !c.priorities.includes(g.priority)) return false
  if (c.departmentIds !== undefined && !c.departmentIds.includes(g.departmentId)) return false
  if (c.assigneeAgentIds !== undefined || c.unassignedAgent) {
    const hit =
      (g.assigneeAgentId !== null && (c.assigneeAgentIds ?? []).includes(g.assigneeAgentId)) ||
      (c.unassignedAgent === true && g.assigneeAgentId === null)
    if (!hit) return false
  }
  if (c.teamIds !== undefined || c.unassignedTeam) {
    const hit =
      (g.assigneeTeamId !== null && (c.teamIds ?? []).includes(g.assigneeTeamId)) ||
      (c.unassignedTeam === true && g.assigneeTeamId === null)
    if (!hit) return false
  }
  if (c.slaStates !== undefined && (g.slaState === null || !c.slaStates.includes(g.slaState))) return false
  return true
}

/** Writes a change of one ticket's own columns (the caller holds its lock and bumps `version`). */
export async function updateTicketRow(
  db: Kysely<DB>,
  id: number,
  set: Updateable<DB['tickets']>,
): Promise<void> {
  await db.updateTable('tickets').set(set).where('id', '=', id).execute()
}

export async function writeFollowing(
  db: Kysely<DB>,
  ticketId: number,
  agentId: number,
  follow: boolean,
  at: number,
) {
  if (follow)
    await db
      .insertInto('ticket_followers')
      .values({ ticket_id: ticketId, agent_id: agentId, created_at: at })
      .execute()
  else
    await db
      .deleteFrom('ticket_followers')
      .where('ticket_id', '=', ticketId)
      .where('agent_id', '=', agentId)
      .execute()
}
