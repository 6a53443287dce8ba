// Admin › Mail preview: without SMTP_URL, outgoing mail is kept here instead of delivered.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  MailPreviewOut,
  MailPreviewSummaryOut,
  presentMailPreview,
  presentMailPreviewSummary,
} from '../../presenters/mailPreviewPresenter.ts'
import { mailPreview, mailPreviews } from '../../queries/mailPreviewQueries.ts'
import { ErrorOut, requireActor } from '../http.ts'

export const ListMailPreviews = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) })

const errors = { 401: ErrorOut, 403: ErrorOut }

export function mailPreviewRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/mail-preview',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Mail preview: outgoing mail kept because no SMTP server is configured',
        description:
          'Without SMTP_URL no mail is delivered; each message (password resets, ticket links, ticket mail) is ' +
          'kept here instead, the newest 500, newest first. Mail about a ticket is listed only to admins who ' +
          'may see the ticket. `delivering` is true once SMTP_URL is set; what was ' +
          'kept before stays listed.',
        querystring: ListMailPreviews,
        response: {
          200: z.object({
            delivering: z.boolean().describe('SMTP_URL is set: mail is sent, not kept'),
            kept: z.number(),
            hidden: z
              .number()
              .describe('Kept messages about tickets this admin may not see (not listed, as in every list)'),
            keepAtMost: z.number(),
            items: z.array(MailPreviewSummaryOut),
          }),
          400: ErrorOut,
          ...errors,
        },
      },
    },
    async (req) => {
      const found = await mailPreviews(app, requireActor(req), req.query.limit)
      return {
        delivering: found.delivering,
        kept: found.kept,
        hidden: found.hidden,
        keepAtMost: found.keepAtMost,
        items: found.rows.map(presentMailPreviewSummary),
      }
    },
  )
  r.get(
    '/api/v1/admin/mail-preview/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'One kept message: text, HTML and the names of its attachments',
        params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
        response: { 200: MailPreviewOut, 400: ErrorOut, ...errors, 404: ErrorOut },
      },
    },
    async (req) => presentMailPreview(await mailPreview(app, requireActor(req), req.params.id)),
  )
}
