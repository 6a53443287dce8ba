// Inbound mail that could not be filed: list, read raw, retry, discard and bring back.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { discardFailedMail, restoreFailedMail, retryFailedMail } from '../../commands/admin/failedMail.ts'
import { notFound } from '../../errors.ts'
import { isRetryable, listFailedMail } from '../../mail/receiveEmail.ts'
import { failedMailRaw } from '../../repositories/inboundMailRepo.ts'
import { ErrorOut, requireActor } from '../http.ts'
import { sendRawMail } from '../rawMail.ts'

const tags = ['mail']
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const config = { policy: 'admin' as const }

export function failedMailRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/failed-mail',
    {
      config,
      schema: {
        tags,
        summary: 'Inbound mail that could not be filed',
        querystring: z.object({
          cursor: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                source: z.string(),
                sender: z.string().nullable(),
                envelopeTo: z.string().nullable(),
                error: z.string().nullable(),
                retryable: z
                  .boolean()
                  .describe('False when processing again cannot succeed (`mime_too_complex`)'),
                attempts: z.number(),
                size: z.number(),
                receivedAt: z.string(),
                processedAt: z.string().nullable(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const rows = await listFailedMail(app, {
        limit: req.query.limit,
        ...(req.query.cursor ? { before: req.query.cursor } : {}),
      })
      return {
        items: rows.map((m) => ({
          id: m.id,
          source: m.source,
          sender: m.sender,
          envelopeTo: m.envelope_to,
          error: m.error,
          retryable: isRetryable(m.error),
          attempts: m.attempts,
          size: Number(m.size),
          receivedAt: iso(m.received_at)!,
          processedAt: iso(m.processed_at),
        })),
        nextCursor: rows.length === req.query.limit ? String(rows.at(-1)!.id) : null,
      }
    },
  )

  r.get(
    '/api/v1/admin/failed-mail/:id/raw',
    {
      config,
      schema: {
        tags,
        summary: 'The raw message of failed mail, as received',
        description:
          'Only messages in the failed-mail list: a filed message is read through its ticket ' +
          '(GET /api/v1/tickets/:number/messages/:entryId/raw), by someone who may see the ticket.',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const raw = await failedMailRaw(app.db.read, req.params.id)
      if (!raw) throw notFound('failed mail')
      return sendRawMail(reply, `mail-${req.params.id}.eml`, raw)
    },
  )

  r.post(
    '/api/v1/admin/failed-mail/:id/retry',
    {
      config,
      schema: {
        tags,
        summary: 'Process a failed message again',
        params: IdParams,
        response: {
          200: z.object({
            status: z.string(),
            ticketNumber: z.string().optional(),
            error: z.string().optional(),
          }),
          409: ErrorOut,
          ...errors,
        },
      },
    },
    async (req) => {
      const outcome = await retryFailedMail(app, requireActor(req), req.params.id)
      return {
        status: outcome.status,
        ...('ticketNumber' in outcome ? { ticketNumber: outcome.ticketNumber } : {}),
        ...('error' in outcome ? { error: outcome.error } : {}),
      }
    },
  )

  r.post(
    '/api/v1/admin/failed-mail/:id/discard',
    {
      config,
      schema: {
        tags,
        summary: 'Take a message off the failed-mail list (kept, raw, and can be restored)',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await discardFailedMail(app, requireActor(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/admin/failed-mail/:id/restore',
    {
      config,
      schema: {
        tags,
        summary: 'Put a discarded message back on the failed-mail list',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await restoreFailedMail(app, requireActor(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
}
