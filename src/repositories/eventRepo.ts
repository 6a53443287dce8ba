import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Origin } from '../domain/origin.ts'

export type Channel = 'web' | 'api' | 'email' | 'system'

export interface NewEvent {
  ticketId: number | null
  actorId: number | null
  type: string
  channel: Channel
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  at: number
}

/** Writes events; `origin` is the request they came from (undefined for jobs and the command line). */
export async function insertEvents(
  db: Kysely<DB>,
  events: NewEvent[],
  origin: Origin | undefined,
): Promise<number[]> {
  if (events.length === 0) return []
  const ip = origin?.ip ?? null
  const userAgent = origin?.userAgent ?? null
  const rows = await db
    .insertInto('events')
    .values(
      events.map((e) => ({
        ticket_id: e.ticketId,
        actor_id: e.actorId,
        type: e.type,
        channel: e.channel,
        before: e.before ? JSON.stringify(e.before) : null,
        after: e.after ? JSON.stringify(e.after) : null,
        created_at: e.at,
        ip,
        user_agent: userAgent,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** A ticket's events, oldest first; `types` keeps only those (the customer's history: see ticketPolicy). */
export async function eventsOfTicket(db: Kysely<DB>, ticketId: number, types?: readonly string[]) {
  return db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select([
      'e.id',
      'e.type',
      'e.channel',
      'e.before',
      'e.after',
      'e.created_at',
      'e.actor_id',
      'u.name as actor_name',
    ])
    .where('e.ticket_id', '=', ticketId)
    .$if(types !== undefined, (q) => q.where('e.type', 'in', types!.length > 0 ? [...types!] : ['']))
    .orderBy('e.id')
    .execute()
}

export interface EventNames {
  users: Map<number, string>
  teams: Map<number, string>
  departments: Map<number, string>
}

/** The ids an event's before/after mention: agents, people copied, teams, departments. */
function idsInEvents(rows: readonly { before: string | null; after: string | null }[]) {
  const users = new Set<number>()
  const teams = new Set<number>()
  const departments = new Set<number>()
  const add = (set: Set<number>, v: unknown) => {
    if (typeof v === 'number') set.add(v)
  }
  for (const row of rows) {
    for (const json of [row.before, row.after]) {
      if (json === null) continue
      const v = JSON.parse(json) as Record<string, unknown>
      add(users, v.assigneeAgentId)
      if (Array.isArray(v.userIds)) for (const id of v.userIds) add(users, id)
      add(teams, v.assigneeTeamId)
      add(departments, v.departmentId)
    }
  }
  return { users: [...users], teams: [...teams], departments: [...departments] }
}

/** The names behind the ids that events mention (people, teams, departments), for the history lines. */
export async function namesForEvents(
  db: Kysely<DB>,
  rows: readonly { before: string | null; after: string | null }[],
): Promise<EventNames> {
  const ids = idsInEvents(rows)
  const [users, teams, departments] = await Promise.all([
    ids.users.length === 0
      ? []
      : db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids.users).execute(),
    ids.teams.length === 0
      ? []
      : db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids.teams).execute(),
    ids.departments.length === 0
      ? []
      : db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids.departments).execute(),
  ])
  const map = (rows: { id: number; name: string }[]) => new Map(rows.map((r) => [r.id, r.name]))
  return { users: map(users), teams: map(teams), departments: map(departments) }
}
