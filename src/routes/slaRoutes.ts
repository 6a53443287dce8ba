// Agent and portal API of issue 5: help topics and field definitions for the portal form, snooze, custom
// field values, and canned responses for the composer.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { SetTicketFields, setTicketFields } from '../commands/setTicketFields.ts'
import { SnoozeTicket, snoozeTicket } from '../commands/snoozeTicket.ts'
import { FIELD_TYPES } from '../domain/customFields.ts'
import { PRIORITIES } from '../domain/tickets.ts'
import { presentTicket, TicketOut } from '../presenters/ticketPresenter.ts'
import { listCanned, renderCannedFor, ticketTags } from '../queries/cannedQueries.ts'
import { topicDirectory } from '../queries/directoryQueries.ts'
import { ErrorOut, requireActor, requireAgent } from './http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }
const TicketParams = z.object({ number: z.string().max(32) })
const tags = ['service levels & automation']

export function slaRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const fieldsFor = (kind: 'agent' | 'customer') => ({ defs: app.fields.all(), viewer: kind })

  r.get(
    '/api/v1/topics',
    {
      config: { policy: 'public' },
      schema: {
        tags,
        summary: 'Help topics for the portal form',
        description: 'Public topics for everyone; agents also get the internal ones.',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                name: z.string(),
                isPublic: z.boolean(),
                priority: z.enum(PRIORITIES).nullable(),
                fields: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const rows = await topicDirectory(app, req.actor?.kind === 'agent')
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          isPublic: t.is_public === 1,
          priority: t.priority as (typeof PRIORITIES)[number] | null,
          fields: JSON.parse(t.fields) as string[],
        })),
      }
    },
  )

  r.get(
    '/api/v1/custom-fields',
    {
      config: { policy: 'public' },
      schema: {
        tags,
        summary: 'Custom field definitions the caller may see (customers: client-visible ones)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                label: z.string(),
                type: z.enum(FIELD_TYPES),
                options: z.array(z.string()),
                editable: z.boolean(),
                requiredOnCreate: z.boolean(),
                requiredToClose: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const agent = req.actor?.kind === 'agent'
      return {
        items: app.fields
          .all()
          .filter((f) => (agent ? f.agentVisible : f.clientVisible))
          .map((f) => ({
            key: f.key,
            label: f.label,
            type: f.type,
            options: f.options,
            editable: agent || f.clientEditable,
            requiredOnCreate: f.requiredOnCreate,
            requiredToClose: f.requiredToClose,
          })),
      }
    },
  )

  r.put(
    '/api/v1/tickets/:number/snooze',
    {
      config: { policy: 'agent' },
      schema: {
        tags,
        summary: 'Snooze a pending ticket until a time (null cancels the snooze)',
        params: TicketParams,
        body: SnoozeTicket,
        response: { 200: z.object({ ticket: TicketOut }), ...errors },
      },
    },
    async (req) => {
      const ticket = await snoozeTicket(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return { ticket: presentTicket(ticket, app.statuses, fieldsFor('agent')) }
    },
  )

  r.patch(
    '/api/v1/tickets/:number/fields',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags,
        summary: 'Set custom field values',
        params: TicketParams,
        body: SetTicketFields,
        response: { 200: z.object({ ticket: TicketOut }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req)
      const ticket = await setTicketFields(app, actor, req.params.number, req.body, { channel: req.channel })
      return { ticket: presentTicket(ticket, app.statuses, fieldsFor(actor.kind)) }
    },
  )

  const CannedOut = z.object({
    id: z.number(),
    title: z.string(),
    body: z.string(),
    departmentId: z.number().nullable(),
  })
  r.get(
    '/api/v1/canned-responses',
    {
      config: { policy: 'agent' },
      schema: {
        tags,
        summary: 'Canned responses for the composer and the keyboard palette',
        querystring: z.object({
          departmentId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
        }),
        response: { 200: z.object({ items: z.array(CannedOut) }), ...errors },
      },
    },
    async (req) => {
      const rows = await listCanned(app, requireAgent(req), req.query.departmentId)
      return {
        items: rows.map((c) => ({ id: c.id, title: c.title, body: c.body, departmentId: c.department_id })),
      }
    },
  )
  r.get(
    '/api/v1/tickets/:number/canned-responses/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags,
        summary: 'A canned response with its variables filled in for this ticket',
        params: TicketParams.extend({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
        response: { 200: z.object({ id: z.number(), title: z.string(), body: z.string() }), ...errors },
      },
    },
    async (req) => renderCannedFor(app, requireAgent(req), req.params.number, req.params.id),
  )

  r.get(
    '/api/v1/tickets/:number/tags',
    {
      config: { policy: 'agent' },
      schema: {
        tags,
        summary: 'Tags on a ticket (added by rules)',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(z.string()) }), ...errors },
      },
    },
    async (req) => ({ items: await ticketTags(app, requireAgent(req), req.params.number) }),
  )
}
