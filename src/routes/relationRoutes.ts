// Ticket relationships (issue 12): merge and its undo, links, split and tasks. The rules are in
// commands/mergeTickets.ts, commands/ticketRelations.ts and commands/ticketTasks.ts.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { MergeTicket, mergeTicket, UnmergeTicket, unmergeTicket } from '../commands/mergeTickets.ts'
import { presentTicket, TicketOut } from '../presenters/ticketPresenter.ts'
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
}
