// Satisfaction settings, surveys and their report: Kysely queries only.
import { sql, type Kysely, type Selectable } from 'kysely'
import type { DB, SatisfactionSurveyTable } from '../db/schema.ts'
import type { TicketScope } from '../policies/ticketPolicy.ts'
import { nameGroups, type ReportGroup } from './reportGroups.ts'
import { inScope } from './ticketRepo.ts'

export type SurveyRow = Selectable<SatisfactionSurveyTable>
export type Rating = 'good' | 'bad'

export async function findSetting(db: Kysely<DB>, departmentId: number) {
  return db
    .selectFrom('satisfaction_settings')
    .selectAll()
    .where('department_id', '=', departmentId)
    .executeTakeFirst()
}

/** Every department with its satisfaction setting (absent: off). */
export async function listSettings(db: Kysely<DB>) {
  return db
    .selectFrom('departments as d')
    .leftJoin('satisfaction_settings as s', 's.department_id', 'd.id')
    .select(['d.id', 'd.name', 's.enabled', 's.question', 's.updated_at'])
    .orderBy('d.name')
    .orderBy('d.id')
    .execute()
}

export async function saveSetting(
  db: Kysely<DB>,
  row: { departmentId: number; enabled: boolean; question: string; at: number },
): Promise<void> {
  const values = { enabled: row.enabled ? 1 : 0, question: row.question, updated_at: row.at }
  await db
    .insertInto('satisfaction_settings')
    .values({ department_id: row.departmentId, ...values })
    .onConflict((oc) => oc.column('department_id').doUpdateSet(values))
    .execute()
}

/** Ends the unanswered surveys of a ticket that is being asked again (a new resolution). */
export async function closeOpenSurveys(db: Kysely<DB>, ticketId: number, at: number): Promise<void> {
  await db
    .updateTable('satisfaction_surveys')
    .set({ closed_at: at })
    .where('ticket_id', '=', ticketId)
    .where('closed_at', 'is', null)
    .where('rating', 'is', null)
    .execute()
}

export async function insertSurvey(
  db: Kysely<DB>,
  s: {
    ticketId: number
    requesterId: number
    departmentId: number
    agentId: number | null
    teamId: number | null
    question: string
    tokenHash: string
    askedAt: number
    expiresAt: number
  },
): Promise<number> {
  const row = await db
    .insertInto('satisfaction_surveys')
    .values({
      ticket_id: s.ticketId,
      requester_id: s.requesterId,
      department_id: s.departmentId,
      agent_id: s.agentId,
      team_id: s.teamId,
      question: s.question,
      token_hash: s.tokenHash,
      asked_at: s.askedAt,
      expires_at: s.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The survey a link's token belongs to, with its ticket's number and subject. */
export async function findSurveyByToken(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('satisfaction_surveys as s')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .selectAll('s')
    .select(['t.number as ticket_number', 't.subject as ticket_subject'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/** Marks the link used, once: false when it was used (or its survey closed or expired) meanwhile. */
export async function claimSurveyLink(db: Kysely<DB>, id: number, now: number): Promise<boolean> {
  const claimed = await db
    .updateTable('satisfaction_surveys')
    .set({ link_used_at: now })
    .where('id', '=', id)
    .where('link_used_at', 'is', null)
    .where('closed_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}

/** The newest survey of a ticket (the one about its latest resolution). */
export async function latestSurvey(db: Kysely<DB>, ticketId: number): Promise<SurveyRow | undefined> {
  return db
    .selectFrom('satisfaction_surveys')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function surveysOfTicket(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('satisfaction_surveys as s')
    .leftJoin('users as a', 'a.id', 's.agent_id')
    .selectAll('s')
    .select(['a.name as agent_name'])
    .where('s.ticket_id', '=', ticketId)
    .orderBy('s.id', 'desc')
    .execute()
}

export async function setRating(
  db: Kysely<DB>,
  id: number,
  answer: { rating: Rating; comment: string | null; at: number; channel: string },
): Promise<void> {
  await db
    .updateTable('satisfaction_surveys')
    .set({
      rating: answer.rating,
      comment: answer.comment,
      rated_at: answer.at,
      rated_channel: answer.channel,
    })
    .where('id', '=', id)
    .execute()
}

/** Who a survey counts under: who held the ticket when it was resolved, or the requester's organisation. */
const SURVEY_GROUP_KEYS = {
  agent: 's.agent_id',
  team: 's.team_id',
  department: 's.department_id',
  organisation: 'r.organization_id',
} as const satisfies Record<ReportGroup, string>

/**
 * Surveys asked in [from, to) on tickets in the scope, counted per group: by the agent, team and department that
 * held the ticket when it was resolved, or by the requester's organisation.
 */
export async function satisfactionByGroup(
  db: Kysely<DB>,
  scope: TicketScope,
  range: { from: number; to: number },
  groupBy: ReportGroup,
) {
  const key = sql.ref<number | null>(SURVEY_GROUP_KEYS[groupBy])
  const rows = await db
    .selectFrom('satisfaction_surveys as s')
    .innerJoin('tickets', 'tickets.id', 's.ticket_id')
    .innerJoin('users as r', 'r.id', 's.requester_id')
    .where(inScope(scope))
    .where('s.asked_at', '>=', range.from)
    .where('s.asked_at', '<', range.to)
    .select([
      key.as('id'),
      sql<number>`count(*)`.as('asked'),
      sql<number>`sum(case when s.rating = 'good' then 1 else 0 end)`.as('good'),
      sql<number>`sum(case when s.rating = 'bad' then 1 else 0 end)`.as('bad'),
    ])
    .groupBy(key)
    .execute()
  return nameGroups(
    db,
    groupBy,
    rows.map((r) => ({
      id: r.id,
      asked: Number(r.asked),
      good: Number(r.good ?? 0),
      bad: Number(r.bad ?? 0),
    })),
  )
}
