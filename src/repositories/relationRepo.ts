// Links between tickets (ticket_relations): one row per pair, `kind` saying what b is to a.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { TicketRow } from './ticketRepo.ts'

export interface RelationRow {
  a_id: number
  b_id: number
  kind: string
  created_at: number
}

/** The link between two tickets either way round, if any. */
export async function relationBetween(
  db: Kysely<DB>,
  x: number,
  y: number,
): Promise<RelationRow | undefined> {
  return db
    .selectFrom('ticket_relations')
    .select(['a_id', 'b_id', 'kind', 'created_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('a_id', '=', x), eb('b_id', '=', y)]),
        eb.and([eb('a_id', '=', y), eb('b_id', '=', x)]),
      ]),
    )
    .executeTakeFirst()
}

export async function insertRelation(
  db: Kysely<DB>,
  r: { aId: number; bId: number; kind: string; by: number; at: number },
): Promise<void> {
  await db
    .insertInto('ticket_relations')
    .values({ a_id: r.aId, b_id: r.bId, kind: r.kind, created_by: r.by, created_at: r.at })
    .execute()
}

export async function deleteRelation(db: Kysely<DB>, aId: number, bId: number): Promise<void> {
  await db.deleteFrom('ticket_relations').where('a_id', '=', aId).where('b_id', '=', bId).execute()
}

/** Every link of a ticket with the other ticket's row (its access fields decide what the viewer is shown). */
export async function relationsOf(
  db: Kysely<DB>,
  ticketId: number,
): Promise<
  {
    relation: RelationRow
    other: Pick<
      TicketRow,
      | 'id'
      | 'number'
      | 'subject'
      | 'status'
      | 'department_id'
      | 'assignee_agent_id'
      | 'assignee_team_id'
      | 'requester_id'
    >
  }[]
> {
  const rows = await db
    .selectFrom('ticket_relations as r')
    .innerJoin('tickets as t', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('r.a_id', '=', ticketId), eb('t.id', '=', eb.ref('r.b_id'))]),
          eb.and([eb('r.b_id', '=', ticketId), eb('t.id', '=', eb.ref('r.a_id'))]),
        ]),
      ),
    )
    .select([
      'r.a_id',
      'r.b_id',
      'r.kind',
      'r.created_at',
      't.id',
      't.number',
      't.subject',
      't.status',
      't.department_id',
      't.assignee_agent_id',
      't.assignee_team_id',
      't.requester_id',
    ])
    .where((eb) => eb.or([eb('r.a_id', '=', ticketId), eb('r.b_id', '=', ticketId)]))
    .orderBy('r.created_at')
    .execute()
  return rows.map((r) => ({
    relation: { a_id: r.a_id, b_id: r.b_id, kind: r.kind, created_at: r.created_at },
    other: {
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status,
      department_id: r.department_id,
      assignee_agent_id: r.assignee_agent_id,
      assignee_team_id: r.assignee_team_id,
      requester_id: r.requester_id,
    },
  }))
}

/** The entries with these ids on a ticket, with what a split needs to know of them. */
export async function entriesForSplit(db: Kysely<DB>, ticketId: number, ids: number[]) {
  return db
    .selectFrom('thread_entries')
    .select(['id', 'kind', 'body', 'origin_ticket_id'])
    .where('ticket_id', '=', ticketId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()
}
