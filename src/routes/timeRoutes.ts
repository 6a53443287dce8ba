// Time tracking (issue 16): a ticket's time entries (agents only; customers get 404) and the time report.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { id } from '../commands/fields.ts'
import { changeTime, LogTime, logTime, removeTime, UpdateTime } from '../commands/timeEntries.ts'
import { ReportQuery, reportOut } from '../queries/reportRange.ts'
import { presentTimeEntry, ticketTime, timeReport } from '../queries/timeQueries.ts'
import { ErrorOut, requireActor, requireAgent } from './http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const TicketParams = z.object({ number: z.string().max(32) })
const EntryParams = TicketParams.extend({ id: z.coerce.number().pipe(id) })
const Ref = z.object({ id: z.number(), name: z.string() })

const TimeEntryOut = z.object({
  id: z.number(),
  minutes: z.number(),
  note: z.string(),
  billable: z.boolean(),
  entryId: z.number().nullable(),
  agent: Ref,
  createdAt: z.string(),
  updatedAt: z.string(),
  mine: z.boolean(),
})
const Totals = z.object({
  entries: z.number(),
  minutes: z.number(),
  billableMinutes: z.number(),
  nonBillableMinutes: z.number(),
})

export function timeRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/tickets/:number/time',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['time'],
        summary: "A ticket's time entries and totals",
        description: 'For agents who may see the ticket. `mine`: whether you may change or remove the entry.',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(TimeEntryOut), totals: Totals }), ...errors },
      },
    },
    async (req) => ticketTime(app, requireActor(req), req.params.number),
  )

  r.post(
    '/api/v1/tickets/:number/time',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['time'],
        summary: 'Log time on a ticket',
        description:
          'Needs `ticket.edit`. 1 to 1440 minutes per entry; `entryId` links the entry to a reply or note of the ' +
          'ticket (the composer\'s "Time spent").',
        params: TicketParams,
        body: LogTime,
        response: { 201: z.object({ entry: TimeEntryOut }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req)
      const entry = await logTime(app, actor, req.params.number, req.body, { channel: req.channel })
      return reply.code(201).send({ entry: presentTimeEntry(entry, actor) })
    },
  )

  r.patch(
    '/api/v1/tickets/:number/time/:id',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['time'],
        summary: 'Change a time entry (your own; admins any)',
        params: EntryParams,
        body: UpdateTime,
        response: { 200: z.object({ entry: TimeEntryOut }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req)
      const entry = await changeTime(app, actor, req.params.number, req.params.id, req.body, {
        channel: req.channel,
      })
      return { entry: presentTimeEntry(entry, actor) }
    },
  )

  r.delete(
    '/api/v1/tickets/:number/time/:id',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['time'],
        summary: 'Remove a time entry (your own; admins any)',
        params: EntryParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeTime(app, requireActor(req), req.params.number, req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/reports/time',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'Time logged per agent, team, department or organisation',
        description:
          'Minutes logged in [`from`, `to`) on the tickets you may see, billable and not. Agent is who logged the ' +
          "time; team, department and organisation are the ticket's now (the organisation: its requester's).",
        querystring: ReportQuery,
        response: {
          200: reportOut(Totals),
          ...errors,
        },
      },
    },
    async (req) => timeReport(app, requireAgent(req), req.query),
  )
}
