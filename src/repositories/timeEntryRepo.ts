// Time entries and their report: Kysely queries only.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { TicketScope } from '../policies/ticketPolicy.ts'
import type { ReportGroup } from './reportGroups.ts'
import { nameGroups } from './reportGroups.ts'
import { inScope } from './ticketRepo.ts'

export async function insertTimeEntry(
  db: Kysely<DB>,
  e: {
    ticketId: number
    agentId: number
    minutes: number
    note: string
    billable: boolean
    entryId: number | null
    at: number
  },
): Promise<number> {
  const row = await db
    .insertInto('time_entries')
    .values({
      ticket_id: e.ticketId,
      agent_id: e.agentId,
      minutes: e.minutes,
      note: e.note,
      billable: e.billable ? 1 : 0,
      entry_id: e.entryId,
      created_at: e.at,
      updated_at: e.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const entryColumns = [
  'te.id',
  'te.ticket_id',
  'te.agent_id',
  'te.minutes',
  'te.note',
  'te.billable',
  'te.entry_id',
  'te.created_at',
  'te.updated_at',
  'u.name as agent_name',
] as const

export async function timeEntriesOfTicket(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('time_entries as te')
    .innerJoin('users as u', 'u.id', 'te.agent_id')
    .select(entryColumns)
    .where('te.ticket_id', '=', ticketId)
    .orderBy('te.id')
    .execute()
}
export type TimeEntryRow = Awaited<ReturnType<typeof timeEntriesOfTicket>>[number]

export async function findTimeEntry(db: Kysely<DB>, ticketId: number, id: number) {
  return db
    .selectFrom('time_entries as te')
    .innerJoin('users as u', 'u.id', 'te.agent_id')
    .select(entryColumns)
    .where('te.ticket_id', '=', ticketId)
    .where('te.id', '=', id)
    .executeTakeFirst()
}

export async function updateTimeEntry(
  db: Kysely<DB>,
  id: number,
  set: { minutes?: number; note?: string; billable?: boolean; at: number },
): Promise<void> {
  await db
    .updateTable('time_entries')
    .set({
      ...(set.minutes !== undefined ? { minutes: set.minutes } : {}),
      ...(set.note !== undefined ? { note: set.note } : {}),
      ...(set.billable !== undefined ? { billable: set.billable ? 1 : 0 } : {}),
      updated_at: set.at,
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteTimeEntry(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('time_entries').where('id', '=', id).execute()
}

/** Who time counts under: the agent who logged it, or the ticket's team, department, requester's organisation. */
const TIME_GROUP_KEYS = {
  agent: 'te.agent_id',
  team: 'tickets.assignee_team_id',
  department: 'tickets.department_id',
  organisation: 'r.organization_id',
} as const satisfies Record<ReportGroup, string>

/** Minutes logged in [from, to) on tickets in the scope, per group (the ticket's groups as they are now). */
export async function timeByGroup(
  db: Kysely<DB>,
  scope: TicketScope,
  range: { from: number; to: number },
  groupBy: ReportGroup,
) {
  const key = sql.ref<number | null>(TIME_GROUP_KEYS[groupBy])
  const rows = await db
    .selectFrom('time_entries as te')
    .innerJoin('tickets', 'tickets.id', 'te.ticket_id')
    .innerJoin('users as r', 'r.id', 'tickets.requester_id')
    .where(inScope(scope))
    .where('te.created_at', '>=', range.from)
    .where('te.created_at', '<', range.to)
    .select([
      key.as('id'),
      sql<number>`count(*)`.as('entries'),
      sql<number>`sum(te.minutes)`.as('minutes'),
      sql<number>`sum(case when te.billable = 1 then te.minutes else 0 end)`.as('billable_minutes'),
    ])
    .groupBy(key)
    .execute()
  return nameGroups(
    db,
    groupBy,
    rows.map((r) => ({
      id: r.id,
      entries: Number(r.entries),
      minutes: Number(r.minutes ?? 0),
      billableMinutes: Number(r.billable_minutes ?? 0),
    })),
  )
}
