// Issue 10's agent workspace writes: bulk changes, a ticket's tags, and macros (kept, and applied to one ticket).
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { BULK_OUTCOMES, BulkUpdate, bulkUpdateTickets } from '../commands/bulkUpdateTickets.ts'
import {
  ApplyMacro,
  applyMacro,
  CreateMacro,
  createMacro,
  deleteMacro,
  UpdateMacro,
  updateMacro,
} from '../commands/macros.ts'
import { SetTicketTags, setTicketTags } from '../commands/ticketTags.ts'
import { MacroOut, presentMacro } from '../presenters/macroPresenter.ts'
import { presentTicket, TicketOut } from '../presenters/ticketPresenter.ts'
import { listMacros } from '../queries/macroQueries.ts'
import { ErrorOut, requireAgent } from './http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const TicketParams = z.object({ number: z.string().max(32) })
const MacroParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })

export function workRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const present = (row: Parameters<typeof presentTicket>[0]) =>
    presentTicket(row, app.statuses, { defs: app.fields.all(), viewer: 'agent' })

  r.post(
    '/api/v1/tickets/bulk',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Change up to 500 tickets at once',
        description:
          'Each ticket is changed in its own transaction by the same rules as `PATCH /tickets/:number`, so one ' +
          'refusal never undoes the others. `outcome` per ticket: `updated`, `unchanged`, `conflict` (its ' +
          'version in `versions` is stale; `ticket` is the current state), `forbidden` (you see it but lack the ' +
          'permission), `invalid` (a rule refused it, e.g. `assignee_not_in_department`) or `not_found` ' +
          '(missing, or not yours to see: the two are indistinguishable). Repeated numbers are done once.',
        body: BulkUpdate,
        response: {
          200: z.object({
            results: z.array(
              z.object({
                number: z.string(),
                outcome: z.enum(BULK_OUTCOMES),
                ticket: TicketOut.optional(),
                error: z.object({ code: z.string(), message: z.string() }).optional(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const results = await bulkUpdateTickets(app, requireAgent(req), req.body, { channel: req.channel })
      return {
        results: results.map((res) => ({
          number: res.number,
          outcome: res.outcome,
          ...(res.ticket ? { ticket: present(res.ticket) } : {}),
          ...(res.error ? { error: res.error } : {}),
        })),
      }
    },
  )

  r.put(
    '/api/v1/tickets/:number/tags',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: "Replace a ticket's tags",
        description:
          'Needs `ticket.edit`. Tags are trimmed and lower-cased, inner spaces become `-`; at most 50 per ticket ' +
          'of at most 50 characters each, without commas.',
        params: TicketParams,
        body: SetTicketTags,
        response: {
          200: z.object({ ticket: TicketOut, tags: z.array(z.string()) }),
          409: ErrorOut.extend({ ticket: TicketOut }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { ticket, tags } = await setTicketTags(app, requireAgent(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return { ticket: present(ticket), tags }
    },
  )

  r.get(
    '/api/v1/macros',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['macros'],
        summary: 'Your macros and the shared ones',
        description: '`canShare`: whether you may create, change and delete shared macros.',
        response: { 200: z.object({ items: z.array(MacroOut), canShare: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const agent = requireAgent(req)
      const { items, canShare } = await listMacros(app, agent)
      return { items: items.map((m) => presentMacro(m, agent)), canShare }
    },
  )

  r.post(
    '/api/v1/macros',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['macros'],
        summary: 'Create a macro',
        description:
          'Actions name statuses, departments, agents, teams and canned responses that must exist and be ' +
          'active (400 `unknown_status`, `unknown_department`, `unknown_agent`, `unknown_team`, ' +
          '`unknown_canned_response`). A shared macro needs `macro.share` or an admin.',
        body: CreateMacro,
        response: { 201: z.object({ macro: MacroOut }), ...errors },
      },
    },
    async (req, reply) => {
      const agent = requireAgent(req)
      const macro = await createMacro(app, agent, req.body, { channel: req.channel })
      return reply.code(201).send({ macro: presentMacro(macro, agent) })
    },
  )

  r.patch(
    '/api/v1/macros/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['macros'],
        summary: 'Change a macro',
        description: "Someone else's personal macro answers 404; a shared one without `macro.share` 403.",
        params: MacroParams,
        body: UpdateMacro,
        response: { 200: z.object({ macro: MacroOut }), ...errors },
      },
    },
    async (req) => {
      const agent = requireAgent(req)
      const macro = await updateMacro(app, agent, req.params.id, req.body, { channel: req.channel })
      return { macro: presentMacro(macro, agent) }
    },
  )

  r.delete(
    '/api/v1/macros/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['macros'],
        summary: 'Delete a macro',
        params: MacroParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteMacro(app, requireAgent(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/tickets/:number/macros/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['macros'],
        summary: 'Apply a macro to a ticket',
        description:
          'One transaction: the field and tag changes (as `PATCH /tickets/:number`), then the internal note, then ' +
          'the reply from its canned response with the variables filled in. Every action needs its permission.',
        params: TicketParams.extend(MacroParams.shape),
        body: ApplyMacro,
        response: {
          200: z.object({ ticket: TicketOut }),
          // open_tasks (a macro that resolves or closes) carries the open tasks instead of the ticket.
          409: ErrorOut.extend({ ticket: TicketOut.optional(), tasks: z.array(z.unknown()).optional() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const ticket = await applyMacro(app, requireAgent(req), req.params.number, req.params.id, req.body, {
        channel: req.channel,
      })
      return { ticket: present(ticket) }
    },
  )
}
