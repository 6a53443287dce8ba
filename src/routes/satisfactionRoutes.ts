// Satisfaction surveys (issue 16): the emailed link's page (public: the token is the proof), the ticket's survey
// in the portal and for agents, the report, and the admin's per-department settings.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { SatisfactionSettingIn, saveSatisfactionSetting } from '../commands/admin/satisfaction.ts'
import { id } from '../commands/fields.ts'
import {
  AnswerByLink,
  answerByLink,
  RATINGS,
  rateTicket,
  SatisfactionAnswer,
  surveyForLink,
  SurveyToken,
} from '../commands/satisfaction.ts'
import { ReportQuery, reportOut } from '../queries/reportRange.ts'
import {
  satisfactionReport,
  satisfactionSettings,
  ticketSatisfaction,
} from '../queries/satisfactionQueries.ts'
import { ErrorOut, originOf, requireActor, requireAgent } from './http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const TicketParams = z.object({ number: z.string().max(32) })
const Rating = z.enum(RATINGS)
const Ref = z.object({ id: z.number(), name: z.string() })

const SurveyOut = z.object({
  id: z.number(),
  question: z.string(),
  askedAt: z.string(),
  /** The answer can be given or changed until then (unless the ticket was resolved again). */
  changeableUntil: z.string(),
  open: z.boolean(),
  rating: Rating.nullable(),
  comment: z.string().nullable(),
  ratedAt: z.string().nullable(),
  /** How the answer came: `email` (the link), `web` (the portal) or `api`. */
  channel: z.string().nullable(),
  /** Agents only: who held the ticket when it was resolved. */
  agent: Ref.nullable(),
})
const Counts = z.object({
  asked: z.number(),
  good: z.number(),
  bad: z.number(),
  answered: z.number(),
  score: z.number().nullable(),
})
const SettingOut = z.object({
  departmentId: z.number(),
  department: z.string(),
  enabled: z.boolean(),
  question: z.string(),
})

export function satisfactionRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/api/v1/satisfaction/survey',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['satisfaction'],
        summary: "Read the survey of an emailed link (doesn't use the link up)",
        description:
          'The question and the ticket it is about. A used, expired, replaced or unknown token answers 400 ' +
          '`invalid_survey_link`.',
        body: SurveyToken,
        response: {
          200: z.object({
            ticketNumber: z.string(),
            subject: z.string(),
            question: z.string(),
            rating: Rating.nullable(),
            changeableUntil: z.string(),
          }),
          400: ErrorOut,
        },
      },
    },
    async (req) => surveyForLink(app, req.body.token),
  )

  r.post(
    '/api/v1/satisfaction/answer',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['satisfaction'],
        summary: 'Answer a survey with the token of its emailed link',
        description:
          'Good or bad, with an optional comment. The link works once, and only until the survey expires (7 days ' +
          'after the ticket was resolved) or the ticket is resolved again; after that 400 `invalid_survey_link`. ' +
          'The requester changes the answer in the portal (`PUT /api/v1/tickets/:number/satisfaction`).',
        body: AnswerByLink,
        response: {
          200: z.object({ ticketNumber: z.string(), rating: Rating, changeableUntil: z.string() }),
          400: ErrorOut,
        },
      },
    },
    async (req) => answerByLink(app, req.body, originOf(req)),
  )

  r.get(
    '/api/v1/tickets/:number/satisfaction',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['satisfaction'],
        summary: "A ticket's satisfaction surveys",
        description:
          'Agents who see the ticket get every survey, newest first; its requester the latest one; anyone else ' +
          'none. `canAnswer`: whether the reader may answer (the requester).',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(SurveyOut), canAnswer: z.boolean() }), ...errors },
      },
    },
    async (req) => ticketSatisfaction(app, requireActor(req), req.params.number),
  )

  r.put(
    '/api/v1/tickets/:number/satisfaction',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['satisfaction'],
        summary: 'Answer, or change the answer to, the latest survey (requester only)',
        description:
          '403 for anyone but the requester, 404 `not_found` when the ticket was never asked, 400 `survey_closed` ' +
          'when its survey expired or the ticket was resolved again.',
        params: TicketParams,
        body: SatisfactionAnswer,
        response: { 200: z.object({ rating: Rating, changeableUntil: z.string() }), ...errors },
      },
    },
    async (req) => rateTicket(app, requireActor(req), req.params.number, req.body, { channel: req.channel }),
  )

  r.get(
    '/api/v1/reports/satisfaction',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'Satisfaction per agent, team, department or organisation',
        description:
          'Surveys asked (tickets resolved) in [`from`, `to`) and their answers, on the tickets you may see. ' +
          'Agent, team and department are who held the ticket when it was resolved; organisation is the ' +
          "requester's. `score` is the share of good answers among answers, in percent.",
        querystring: ReportQuery,
        response: {
          200: reportOut(Counts),
          ...errors,
        },
      },
    },
    async (req) => satisfactionReport(app, requireAgent(req), req.query),
  )

  r.get(
    '/api/v1/admin/satisfaction',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Which departments ask for satisfaction, and their question',
        response: { 200: z.object({ items: z.array(SettingOut) }), ...errors },
      },
    },
    async (req) => ({ items: await satisfactionSettings(app, requireActor(req)) }),
  )

  r.put(
    '/api/v1/admin/satisfaction/:departmentId',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: "Turn a department's satisfaction survey on or off, and word its question",
        params: z.object({ departmentId: z.coerce.number().pipe(id) }),
        body: SatisfactionSettingIn,
        response: { 200: SettingOut, ...errors },
      },
    },
    async (req) =>
      saveSatisfactionSetting(app, requireActor(req), req.params.departmentId, req.body, {
        channel: req.channel,
      }),
  )
}
