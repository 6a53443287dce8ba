// The customers copied on a ticket: listed for anyone who may see the ticket, added and removed by agents
// with ticket.edit. The rules are in commands/collaborators.ts.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import {
  AddCollaborator,
  addTicketCollaborator,
  listCollaborators,
  removeTicketCollaborator,
} from '../commands/collaborators.ts'
import { CollaboratorOut, presentCollaborator } from '../presenters/collaboratorPresenter.ts'
import { ErrorOut, requireActor } from './http.ts'

const TicketParams = z.object({ number: z.string().max(32) })
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }

export function collaboratorRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/tickets/:number/collaborators',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Who is copied on a ticket',
        description:
          'Collaborators see the ticket and receive its public replies, like the requester. ' +
          'Anyone who may see the ticket may see this list.',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(CollaboratorOut) }), ...errors },
      },
    },
    async (req) => ({
      items: (await listCollaborators(app, requireActor(req), req.params.number)).map(presentCollaborator),
    }),
  )

  r.post(
    '/api/v1/tickets/:number/collaborators',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Copy a customer on a ticket, by email address',
        description:
          'Agents with `ticket.edit`. An address without an account gets a customer account (as in osTicket). ' +
          '201 when added, 200 when they already were. Agents (`collaborator_is_agent`) and the requester ' +
          '(`collaborator_is_requester`) are refused, and so is an address that looks like another ' +
          '(`confusable_address`).',
        params: TicketParams,
        body: AddCollaborator,
        response: {
          200: z.object({ collaborator: CollaboratorOut }),
          201: z.object({ collaborator: CollaboratorOut }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { collaborator, added } = await addTicketCollaborator(
        app,
        requireActor(req),
        req.params.number,
        req.body,
        { channel: req.channel },
      )
      return reply.code(added ? 201 : 200).send({ collaborator: presentCollaborator(collaborator) })
    },
  )

  r.delete(
    '/api/v1/tickets/:number/collaborators/:userId',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Stop copying a customer on a ticket',
        description: 'Agents with `ticket.edit`. They no longer see the ticket nor receive its replies.',
        params: TicketParams.extend({ userId: z.coerce.number().int().positive().max(2_147_483_647) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeTicketCollaborator(app, requireActor(req), req.params.number, req.params.userId, {
        channel: req.channel,
      })
      return reply.code(204).send(null)
    },
  )
}
