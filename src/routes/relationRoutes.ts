// Ticket relationships (issue 12): merge and its undo, links, split and tasks. The rules are in
// commands/mergeTickets.ts, commands/ticketRelations.ts and commands/ticketTasks.ts.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { MergeTicket, mergeTicket, UnmergeTicket, unmergeTicket } from '../commands/mergeTickets.ts'
import {
  AddLink,
  addLink,
  listLinks,
  RemoveLink,
  removeLink,
  SHOWN_KINDS,
  SplitTicket,
  splitTicket,
} from '../commands/ticketRelations.ts'
import { iso8601, presentTicket, TicketOut } from '../presenters/ticketPresenter.ts'
import { ErrorOut, requireActor } from './http.ts'
import { viewerFields } from './ticketRoutes.ts'

const TicketParams = z.object({ number: z.string().max(32) })
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }

export function relationRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const present = (req: Parameters<typeof requireActor>[0], row: Parameters<typeof presentTicket>[0]) =>
    presentTicket(row, app.statuses, viewerFields(app, requireActor(req)))

  r.post(
    '/api/v1/tickets/:number/merge',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Merge this ticket into another',
        description:
          'Agents with `ticket.merge` in both tickets’ departments. The thread (each entry keeps the ticket it was ' +
          'written on), attachments and tasks move to `into`; followers and tags are added to it, and collaborators ' +
          'too when both tickets have the same requester. This ticket is closed with `mergedInto`; its number keeps ' +
          'working (mail and messages written on it go to the target). A customer of one ticket never reads the ' +
          'other requester’s messages. `version` is this ticket’s. Undo with `POST …/unmerge`.',
        params: TicketParams,
        body: MergeTicket,
        response: {
          200: z.object({
            source: TicketOut,
            target: TicketOut,
            moved: z.object({
              entries: z.number(),
              tasks: z.number(),
              collaborators: z.number(),
              followers: z.number(),
              tags: z.number(),
            }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const merged = await mergeTicket(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return { source: present(req, merged.source), target: present(req, merged.target), moved: merged.moved }
    },
  )

  r.post(
    '/api/v1/tickets/:number/unmerge',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Undo the merge of this ticket',
        description:
          'On the merged (source) ticket, within the undo window (`MERGE_UNDO_DAYS`, 30 by default): both tickets ' +
          'are put back as they were; entries written on the target since stay there. 409 `not_merged`, ' +
          '`unmerge_window_passed`, or `target_merged` when the target was merged on since.',
        params: TicketParams,
        body: UnmergeTicket,
        response: { 200: z.object({ source: TicketOut, target: TicketOut }), ...errors },
      },
    },
    async (req) => {
      const done = await unmergeTicket(app, requireActor(req), req.params.number, { channel: req.channel })
      return { source: present(req, done.source), target: present(req, done.target) }
    },
  )

  const LinkOut = z.union([
    z.object({
      visible: z.literal(true),
      number: z.string(),
      subject: z.string(),
      status: z.string(),
      kind: z.enum(SHOWN_KINDS),
      createdAt: z.string(),
    }),
    z
      .object({ visible: z.literal(false), kind: z.enum(SHOWN_KINDS), createdAt: z.string() })
      .describe('A linked ticket you cannot open: neither its number nor its subject is shown'),
  ])

  r.get(
    '/api/v1/tickets/:number/links',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Links of a ticket, as they read from it',
        description:
          '`kind` says what the other ticket is to this one: related, parent, child, duplicate (it duplicates this ' +
          'one) or original (this one duplicates it). A linked ticket you may not open shows only its kind.',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(LinkOut) }), ...errors },
      },
    },
    async (req) => ({
      items: (await listLinks(app, requireActor(req), req.params.number)).map((l) => ({
        ...l,
        createdAt: iso8601(l.createdAt),
      })),
    }),
  )

  r.post(
    '/api/v1/tickets/:number/links',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Link this ticket to another',
        description:
          'Needs `ticket.edit` here and sight of the other ticket (400 `link_target_not_found` otherwise, as for a ' +
          'missing one). Shown on both tickets; 409 `already_linked`.',
        params: TicketParams,
        body: AddLink,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await addLink(app, requireActor(req), req.params.number, req.body, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.delete(
    '/api/v1/tickets/:number/links',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Remove the link between this ticket and another',
        params: TicketParams,
        body: RemoveLink,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeLink(app, requireActor(req), req.params.number, req.body, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/tickets/:number/split',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Split customer messages off into a new ticket',
        description:
          'Needs `ticket.edit`. The messages (customer messages only, 400 `split_not_message`) and their ' +
          'attachments move to a new ticket for the same requester in the same department, linked to this one ' +
          'as its child.',
        params: TicketParams,
        body: SplitTicket,
        response: {
          201: z.object({ original: TicketOut, created: TicketOut, moved: z.number() }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const done = await splitTicket(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return reply.code(201).send({
        original: present(req, done.original),
        created: present(req, done.created),
        moved: done.moved,
      })
    },
  )
}
