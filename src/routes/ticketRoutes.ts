import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { CreateTicket, createTicket } from '../commands/createTicket.ts'
import { setFollowing } from '../commands/followTicket.ts'
import { PostMessage, postMessage } from '../commands/postMessage.ts'
import { UpdateTicket, updateTicket } from '../commands/updateTicket.ts'
import { text } from '../commands/fields.ts'
import { ENTRY_KINDS } from '../domain/tickets.ts'
import { presentThread, presentTicket, ThreadEntryOut, TicketOut } from '../presenters/ticketPresenter.ts'
import { presentTicketEvents, TicketEventOut } from '../presenters/eventPresenter.ts'
import { getTicket, ListTickets, listTickets } from '../queries/ticketQueries.ts'
import { ErrorOut, requireActor } from './http.ts'
import type { Actor } from '../policies/actor.ts'

/** Which custom fields the person may see on a ticket. */
export const viewerFields = (app: App, actor: Actor) => ({ defs: app.fields.all(), viewer: actor.kind })

const TicketParams = z.object({ number: z.string().max(32) })
const IdempotencyHeaders = z.object({
  'idempotency-key': text(255)
    .optional()
    .describe(
      'Repeat a create safely: the same key from the same user with the same body returns the same ticket; ' +
        'the key with a different body answers 422 `idempotency_key_reused`',
    ),
})
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }

const Abilities = z.object({
  reply: z.boolean(),
  note: z.boolean(),
  edit: z.boolean(),
  assign: z.boolean(),
  transfer: z.boolean(),
  close: z.boolean(),
})

export function ticketRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/api/v1/tickets',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket',
        description: 'Customers open tickets for themselves; agents open them for a customer (`requester`).',
        body: CreateTicket,
        headers: IdempotencyHeaders,
        response: { 201: z.object({ ticket: TicketOut }), ...errors, 422: ErrorOut },
      },
    },
    async (req, reply) => {
      const { ticket, replayed } = await createTicket(app, requireActor(req), req.body, {
        channel: req.channel,
        idempotencyKey: req.headers['idempotency-key'],
      })
      if (replayed) void reply.header('idempotent-replayed', 'true')
      return reply
        .code(201)
        .send({ ticket: presentTicket(ticket, app.statuses, viewerFields(app, requireActor(req))) })
    },
  )

  r.get(
    '/api/v1/tickets',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'List, filter, sort and search tickets',
        description:
          'A queue: a built-in `view` (agents), a saved view (`viewId`), and filters (each repeatable or ' +
          'comma-separated; every filter narrows, a list matches any of its values). Sorted by `sort` and `order` ' +
          '(newest activity first by default), keyset-paginated with `cursor`. `q` finds a ticket by its number ' +
          '(shown first), by its requester’s email or the start of their name, by a tag or a custom field value, ' +
          'and by words in its subject and thread (among the newest 2,000 matching entries). ' +
          'Agents see the tickets of their departments, assigned to them or their teams, or followed; customers their own.',
        querystring: ListTickets,
        response: {
          200: z.object({ items: z.array(TicketOut), nextCursor: z.string().nullable() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { rows, nextCursor } = await listTickets(app, requireActor(req), req.query)
      return {
        items: rows.map((row) => presentTicket(row, app.statuses, viewerFields(app, requireActor(req)))),
        nextCursor,
      }
    },
  )

  r.get(
    '/api/v1/tickets/:number',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'A ticket with its thread',
        description:
          'Customers never receive internal notes. A ticket you may not see answers 404, as a missing one does.',
        params: TicketParams,
        response: {
          200: z.object({
            ticket: TicketOut,
            thread: z.array(ThreadEntryOut),
            followers: z.array(z.object({ id: z.number(), name: z.string() })),
            tags: z.array(z.string()).describe('Agents only: empty for customers'),
            following: z.boolean(),
            abilities: Abilities,
            requesterOrganization: z
              .object({ id: z.number(), name: z.string() })
              .nullable()
              .describe('Agents only: the requester’s organisation (null for customers)'),
            events: z
              .array(TicketEventOut)
              .describe(
                'The history, oldest first. Agents get every event; customers only status changes, each ' +
                  'reduced to the status.',
              ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req)
      const t = await getTicket(app, actor, req.params.number)
      return {
        ticket: presentTicket(t.row, app.statuses, viewerFields(app, actor)),
        thread: presentThread(t.thread, actor, { ticketNumber: t.row.number, rows: t.attachments }),
        followers: t.followers,
        tags: t.tags,
        following: t.following,
        abilities: t.abilities,
        requesterOrganization: t.requesterOrganization,
        events: presentTicketEvents(t.events, t.eventNames, app.statuses, actor.kind),
      }
    },
  )

  r.patch(
    '/api/v1/tickets/:number',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Change priority, status, department or assignee in one transaction',
        description:
          'Send the `version` you loaded. A stale version answers 409 `version_conflict` with the current ticket. ' +
          '`note` adds an internal note that explains the change. Resolving or closing a ticket with open tasks ' +
          'answers 409 `open_tasks` with the list, unless `force: true` (recorded as `tasks.close_forced`).',
        params: TicketParams,
        body: UpdateTicket,
        response: {
          200: z.object({ ticket: TicketOut }),
          409: ErrorOut.extend({
            ticket: TicketOut.optional().describe('With `version_conflict`: the current ticket'),
            tasks: z
              .array(
                z.object({
                  id: z.number(),
                  title: z.string(),
                  assigneeAgent: z.object({ id: z.number(), name: z.string() }).nullable(),
                }),
              )
              .optional()
              .describe(
                'With `open_tasks`: the tasks still open (resolve or close with `force: true` anyway)',
              ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const ticket = await updateTicket(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return { ticket: presentTicket(ticket, app.statuses, viewerFields(app, requireActor(req))) }
    },
  )

  r.post(
    '/api/v1/tickets/:number/messages',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Write on the thread',
        description:
          'A customer writes a message (it reopens a resolved ticket; on a closed one it opens a linked follow-up). ' +
          'An agent writes a public response, or an internal note with `internal: true`.',
        params: TicketParams,
        body: PostMessage,
        response: {
          201: z.object({
            entry: z.object({ id: z.number(), kind: z.enum(ENTRY_KINDS) }),
            ticket: TicketOut,
            followUpOf: z.string().optional(),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const posted = await postMessage(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return reply.code(201).send({
        entry: { id: posted.entryId, kind: posted.kind },
        ticket: presentTicket(posted.ticket, app.statuses, viewerFields(app, requireActor(req))),
        ...(posted.followUpOf ? { followUpOf: posted.followUpOf } : {}),
      })
    },
  )

  for (const [method, follow] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    r[method](
      '/api/v1/tickets/:number/follow',
      {
        config: { policy: 'agent' },
        schema: {
          tags: ['tickets'],
          summary: follow ? 'Follow a ticket' : 'Stop following a ticket',
          params: TicketParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await setFollowing(app, requireActor(req), req.params.number, follow, { channel: req.channel })
        return reply.code(204).send(null)
      },
    )
  }
}
