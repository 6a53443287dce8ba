// IMAP mailboxes: list, add, change, remove, and test the connection. The password goes in, never out.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  createMailbox,
  deleteMailbox,
  MailboxIn,
  MailboxPatch,
  testMailboxConnection,
  updateMailbox,
} from '../../commands/admin/mailboxes.ts'
import { MailboxOut, presentMailbox } from '../../presenters/mailboxPresenter.ts'
import { listMailboxes } from '../../repositories/mailboxRepo.ts'
import { ErrorOut, requireActor } from '../http.ts'

const tags = ['mail']
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const writeErrors = { ...errors, 422: ErrorOut }
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })
const config = { policy: 'admin' as const }

export function mailboxRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/mailboxes',
    {
      config,
      schema: {
        tags,
        summary: 'IMAP mailboxes polled for new tickets (never with their passwords)',
        response: { 200: z.object({ items: z.array(MailboxOut) }), ...errors },
      },
    },
    async () => ({ items: (await listMailboxes(app.db.read)).map(presentMailbox) }),
  )
  r.post(
    '/api/v1/admin/mailboxes',
    {
      config,
      schema: {
        tags,
        summary: 'Poll an IMAP mailbox',
        description:
          'The password is stored encrypted (AES-256-GCM under SECRET_KEY) and never returned. A server ' +
          'without SECRET_KEY answers 422 `secret_key_missing`.',
        body: MailboxIn,
        response: { 201: MailboxOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          presentMailbox(await createMailbox(app, requireActor(req), req.body, { channel: req.channel })),
        ),
  )
  r.patch(
    '/api/v1/admin/mailboxes/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change, disable or enable a mailbox',
        description:
          'Leave `password` out to keep the stored one. A new host, port, login or folder starts the folder ' +
          'over; mail already filed is recognised by its Message-ID and not filed again.',
        params: IdParams,
        body: MailboxPatch,
        response: { 200: MailboxOut, ...writeErrors },
      },
    },
    async (req) =>
      presentMailbox(
        await updateMailbox(app, requireActor(req), req.params.id, req.body, { channel: req.channel }),
      ),
  )
  r.delete(
    '/api/v1/admin/mailboxes/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Stop polling a mailbox and forget it (tickets filed from it stay)',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteMailbox(app, requireActor(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
  r.post(
    '/api/v1/admin/mailboxes/:id/test',
    {
      config,
      schema: {
        tags,
        summary: 'Log in to the mailbox and open its folder, without reading or flagging mail',
        params: IdParams,
        response: {
          200: z.object({
            ok: z.boolean(),
            messages: z.number().optional().describe('Messages in the folder'),
            error: z.string().optional().describe('What the server or the network said'),
          }),
          ...errors,
        },
      },
    },
    async (req) => testMailboxConnection(app, requireActor(req), req.params.id),
  )
}
