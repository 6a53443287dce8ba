// Reports and the ticket export (issue 16). Agents only; every figure and row is limited to the tickets the
// reader's detail view would show (see src/queries/reportQueries.ts), so an agent's report covers their own
// sight, and a manager's or admin's the departments they hold a role in.
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { recordTicketExport } from '../commands/exportTickets.ts'
import { QueueFilters, StoredFilters } from '../domain/queueFilters.ts'
import {
  GROUP_BYS,
  REPORT_NAMES,
  ReportQuery,
  reportOptions,
  runReport,
  type Report,
} from '../queries/reportQueries.ts'
import { ticketsCsv } from '../queries/ticketExport.ts'
import { ErrorOut, requireAgent } from './http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }

const RowOut = z.object({
  key: z
    .union([z.string(), z.number()])
    .nullable()
    .describe('The group: an id, a priority, a channel, or an epoch day'),
  label: z.string(),
  values: z
    .record(z.string(), z.number().nullable())
    .describe('Figure key → value (null: nothing to measure)'),
  links: z
    .record(z.string(), StoredFilters)
    .describe('Figure key → the queue filters (GET /api/v1/tickets) listing the tickets behind the number'),
})

export const ReportOut = z.object({
  report: z.enum(REPORT_NAMES),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(GROUP_BYS).nullable(),
  generatedAt: z.string(),
  factsUpToEventId: z.number().describe('The facts include every event up to this id'),
  figures: z.array(
    z.object({ key: z.string(), label: z.string(), unit: z.enum(['tickets', 'count', 'ms']) }),
  ),
  rows: z.array(RowOut),
  total: RowOut,
})

const ReportOptionsOut = z.object({
  dashboard: z.boolean().describe('Whether the web app shows the dashboard (admins and department managers)'),
  departments: z.array(z.object({ id: z.number(), name: z.string() })),
  teams: z.array(z.object({ id: z.number(), name: z.string() })),
})

const iso = (ms: number) => new Date(ms).toISOString()
const present = (r: Report) => ({
  ...r,
  from: iso(r.from),
  to: iso(r.to),
  generatedAt: iso(r.generatedAt),
  rows: r.rows.map(({ key, label, values, links }) => ({ key, label, values, links })),
  total: { key: r.total.key, label: r.total.label, values: r.total.values, links: r.total.links },
})

const DESCRIPTIONS: Record<(typeof REPORT_NAMES)[number], string> = {
  overview:
    'Tickets created, first responses, resolved and reopened in the range; first-response and resolution ' +
    'time as median and 90th percentile, in calendar time and in the business hours of each ticket’s SLA.',
  sla: 'SLA targets of the tickets created in the range: met, breached and still running, per target.',
  agents: 'Per agent: tickets assigned, replied to and resolved in the range, replies, and handle time.',
  backlog: 'The tickets open now (active statuses), by age since creation; the range does not apply.',
}

export function reportRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/reports',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'What the dashboard may narrow to',
        response: { 200: ReportOptionsOut, 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (req) => reportOptions(app, requireAgent(req)),
  )

  for (const name of REPORT_NAMES) {
    r.get(
      `/api/v1/reports/${name}`,
      {
        config: { policy: 'agent' },
        schema: {
          tags: ['reports'],
          summary: `The ${name} report`,
          description: `${DESCRIPTIONS[name]} Filters are the queue's (GET /api/v1/tickets); see docs/reports.md.`,
          querystring: ReportQuery,
          response: { 200: ReportOut, ...errors },
        },
      },
      async (req) => present(await runReport(app, requireAgent(req), name, req.query)),
    )
  }

  r.get(
    '/api/v1/reports/tickets.csv',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'Export tickets as CSV',
        description:
          'The tickets you may see that match the filters, streamed. Cells that a spreadsheet would run as a ' +
          'formula (beginning with = + - @, tab or CR) start with an apostrophe. Each export is audited.',
        querystring: QueueFilters,
      },
    },
    async (req, reply) => {
      const agent = requireAgent(req)
      await recordTicketExport(app, agent, req.query, { channel: req.channel, format: 'csv' })
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="tickets.csv"')
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(ticketsCsv(app, agent, req.query)))
    },
  )
}
