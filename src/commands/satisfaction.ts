// Answering "How did we do?" (issue 16): from the emailed link without signing in, or on the ticket's page in the
// portal. One answer per resolution (per survey); the link works once, and the requester may change the answer
// in the portal until the survey expires, 7 days after the ticket was resolved. Each answer is an event
// (`satisfaction.rated`, with the channel: `email` for the link), runs the `satisfaction.rated` rules and tells
// the ticket's watchers.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import type { Origin } from '../domain/origin.ts'
import { badRequest, forbidden, notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import {
  claimSurveyLink,
  findSurveyByToken,
  latestSurvey,
  setRating,
  type Rating,
  type SurveyRow,
} from '../repositories/satisfactionRepo.ts'
import { lockTicketById, type TicketRow } from '../repositories/ticketRepo.ts'
import { loadActor, sha256 } from './auth.ts'
import { text } from './fields.ts'
import { lockVisibleTicket } from './ticketAccess.ts'
import { runAutomation } from './ticketAutomation.ts'
import { recordTicketChanges, ticketSummary } from './ticketWrites.ts'

export const RATINGS = ['good', 'bad'] as const
export const SatisfactionAnswer = z.object({
  rating: z.enum(RATINGS),
  comment: text(2000, { min: 0 }).optional().describe('Optional; blank means none'),
})
export type SatisfactionAnswer = z.infer<typeof SatisfactionAnswer>
export const SurveyToken = z.object({ token: text(200) })
export const AnswerByLink = SurveyToken.extend(SatisfactionAnswer.shape)

const invalidLink = () =>
  badRequest(
    'invalid_survey_link',
    'This survey link is not valid: it was used already, has expired or was replaced. ' +
      'You can change your answer on the ticket in the portal for 7 days after it was resolved.',
  )

/** Whether a survey still takes an answer (or a change of it). */
export const answerable = (s: Pick<SurveyRow, 'closed_at' | 'expires_at'>, now: number) =>
  s.closed_at === null && s.expires_at > now

async function surveyOfToken(app: App, db: Kysely<DB>, token: string) {
  const survey = await findSurveyByToken(db, sha256(token))
  if (!survey || survey.link_used_at !== null || !answerable(survey, app.clock.now())) throw invalidLink()
  return survey
}

/** What the link's page shows before the answer is sent. Reading it does not use the link up. */
export async function surveyForLink(app: App, token: string) {
  const s = await surveyOfToken(app, app.db.read, token)
  return {
    ticketNumber: s.ticket_number,
    subject: s.ticket_subject,
    question: s.question,
    rating: s.rating,
    changeableUntil: new Date(s.expires_at).toISOString(),
  }
}

/** The answer from the emailed link: once per link, and only while the survey is open. */
export async function answerByLink(app: App, input: z.infer<typeof AnswerByLink>, origin: Origin) {
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const survey = await surveyOfToken(app, trx, input.token)
    // Claimed in the transaction, so two racing requests cannot both use the link.
    if (!(await claimSurveyLink(trx, survey.id, at))) throw invalidLink()
    const requester = await loadActor(trx, survey.requester_id)
    const row = await lockTicketById(app.db.dialect, trx, survey.ticket_id)
    if (!requester || requester.kind !== 'customer' || !row) throw invalidLink()
    await applyAnswer(app, trx, { survey, row, actor: { ...requester, origin }, input, channel: 'email', at })
    return {
      ticketNumber: row.number,
      rating: input.rating,
      changeableUntil: new Date(survey.expires_at).toISOString(),
    }
  })
}

/** The requester answers, or changes the answer, on the ticket's page in the portal. */
export async function rateTicket(
  app: App,
  actor: Actor,
  number: string,
  input: SatisfactionAnswer,
  meta: { channel: Channel },
) {
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const { row } = await lockVisibleTicket(app, trx, actor, number)
    if (actor.kind !== 'customer' || row.requester_id !== actor.id)
      throw forbidden('Only the requester of the ticket answers its satisfaction survey.')
    const survey = await latestSurvey(trx, row.id)
    if (!survey) throw notFound('survey')
    if (!answerable(survey, at))
      throw badRequest('survey_closed', 'This survey can no longer be answered or changed.')
    await applyAnswer(app, trx, { survey, row, actor, input, channel: meta.channel, at })
    return { rating: input.rating, changeableUntil: new Date(survey.expires_at).toISOString() }
  })
}

async function applyAnswer(
  app: App,
  trx: Kysely<DB>,
  a: {
    survey: SurveyRow
    row: TicketRow
    actor: Actor
    input: SatisfactionAnswer
    channel: Channel
    at: number
  },
): Promise<void> {
  const comment = a.input.comment?.trim() ? a.input.comment.trim() : null
  const rating: Rating = a.input.rating
  await setRating(trx, a.survey.id, { rating, comment, at: a.at, channel: a.channel })
  const automated = await runAutomation(app, trx, {
    ticketId: a.row.id,
    event: 'satisfaction.rated',
    actor: a.actor,
    channel: a.channel,
    at: a.at,
    messageBody: comment ?? '',
    statusBefore: a.row.status,
    satisfaction: rating,
  })
  await recordTicketChanges(trx, {
    ticket: {
      ...ticketSummary(a.row),
      assigneeAgentId: automated.ticket.assigneeAgentId,
      assigneeTeamId: automated.ticket.assigneeTeamId,
      departmentId: automated.ticket.departmentId,
    },
    actor: a.actor,
    channel: a.channel,
    at: a.at,
    changes: [
      {
        type: 'satisfaction.rated',
        before: a.survey.rating === null ? null : { rating: a.survey.rating, comment: a.survey.comment },
        after: { surveyId: a.survey.id, rating, comment },
      },
      ...automated.changes,
    ].map((c) => ({ ...c, before: c.before ?? undefined })),
    happenings: [{ kind: 'rated', rating }, ...automated.happenings],
  })
}
