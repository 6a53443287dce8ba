// Endpoints of the email channel not yet in a resource file of their own: each agent's alert switches, and a
// ticket's attachments and original mail. Failed mail, templates, intake addresses and
// mailboxes are in routes/admin/.
import { attachmentsOfEntries, type AttachmentRow } from '../repositories/attachmentRepo.ts'
import { rewriteCidImages } from '../presenters/attachmentPresenter.ts'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { patchOf } from '../commands/fields.ts'
import { AlertsIn, setMailAlerts } from '../commands/mailAdmin.ts'
import { AGENT_ALERTS } from '../mail/ticketMail.ts'
import { entryOriginalEmail, getTicket } from '../queries/ticketQueries.ts'
import { ErrorOut, requireActor, requireAgent } from './http.ts'
import { sendRawMail } from './rawMail.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })

export function mailRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  const Alerts = AlertsIn
  r.get(
    '/api/v1/me/mail-alerts',
    {
      config: { policy: 'agent' },
      schema: { tags: ['mail'], summary: 'Which alert emails I get', response: { 200: Alerts, ...errors } },
    },
    async (req) => {
      const agent = requireAgent(req)
      const rows = await app.db.read
        .selectFrom('agent_mail_alerts')
        .selectAll()
        .where('agent_id', '=', agent.id)
        .execute()
      return Object.fromEntries(
        AGENT_ALERTS.map((a) => [a, rows.find((r) => r.alert === a)?.enabled !== 0]),
      ) as z.infer<typeof Alerts>
    },
  )
  r.put(
    '/api/v1/me/mail-alerts',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['mail'],
        summary: 'Switch alert emails on or off',
        body: patchOf(Alerts),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await setMailAlerts(app, requireAgent(req), req.body, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  const TicketParams = z.object({ number: z.string().max(32) })
  r.get(
    '/api/v1/tickets/:number/mail',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Emailed entries of a ticket: sanitised HTML and attachments',
        description: 'Only entries the reader may see: customers never get internal notes.',
        params: TicketParams,
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                entryId: z.number(),
                html: z
                  .string()
                  .nullable()
                  .describe('Sanitised; cid: images point at …/attachments/:id/preview'),
                original: z
                  .boolean()
                  .describe('Agents can download the email it came from: GET …/messages/:entryId/raw'),
                attachments: z.array(
                  z.object({
                    id: z.number(),
                    filename: z.string(),
                    contentType: z.string(),
                    size: z.number(),
                  }),
                ),
              }),
            ),
            collaborators: z.array(z.object({ id: z.number(), name: z.string(), email: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req)
      const t = await getTicket(app, actor, req.params.number)
      const ids = t.thread.map((e) => e.id)
      if (ids.length === 0) return { entries: [], collaborators: [] }
      const [emails, files, collaborators] = await Promise.all([
        app.db.read
          .selectFrom('entry_email')
          .select(['entry_id', 'html', 'inbound_mail_id'])
          .where('entry_id', 'in', ids)
          .execute(),
        attachmentsOfEntries(app.db.read, ids),
        app.db.read
          .selectFrom('ticket_collaborators as c')
          .innerJoin('users as u', 'u.id', 'c.user_id')
          .select(['u.id', 'u.name', 'u.email'])
          .where('c.ticket_id', '=', t.row.id)
          .orderBy('u.id')
          .execute(),
      ])
      return {
        entries: ids
          .filter((eid) => emails.some((e) => e.entry_id === eid) || files.some((f) => f.entry_id === eid))
          .map((eid) => ({
            entryId: eid,
            html: withCidImages(
              emails.find((e) => e.entry_id === eid)?.html ?? null,
              t.row.number,
              files.filter((f) => f.entry_id === eid),
            ),
            original: (emails.find((e) => e.entry_id === eid)?.inbound_mail_id ?? null) !== null,
            attachments: files
              .filter((f) => f.entry_id === eid)
              .map((f) => ({ id: f.id, filename: f.filename, contentType: f.content_type, size: f.size })),
          })),
        collaborators,
      }
    },
  )

  r.get(
    '/api/v1/tickets/:number/messages/:entryId/raw',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'The original email a thread entry was filed from (message/rfc822, as a download)',
        description: 'Agents who may see the ticket. 404 for an entry that did not come by email.',
        params: TicketParams.extend({ entryId: IdParams.shape.id }),
      },
    },
    async (req, reply) => {
      const raw = await entryOriginalEmail(app, requireActor(req), req.params.number, req.params.entryId)
      return sendRawMail(reply, `ticket-${req.params.number}-entry-${req.params.entryId}.eml`, raw)
    },
  )
}

const withCidImages = (html: string | null, number: string, files: AttachmentRow[]) =>
  html === null ? null : rewriteCidImages(html, number, files)
