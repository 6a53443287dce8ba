// The audit log: every recorded event, newest first, filtered by actor, type and date, keyset-paged.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { ListAudit, listAudit } from '../../queries/auditQueries.ts'
import { ErrorOut, requireActor } from '../http.ts'

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }

export function auditRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/audit',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The audit log',
        description:
          'Every recorded event, newest first: sign-ins and failed sign-ins (with IP address and user agent), ' +
          'password, two-factor and token changes, settings and permission changes, exports, and changes to the ' +
          'tickets you may see. ' +
          'No password or token is ever recorded. Filter by `actorId`, `type` and `from`/`to`; page with `cursor`.',
        querystring: ListAudit,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                type: z.string(),
                channel: z.string(),
                actor: z.object({ id: z.number(), name: z.string() }).nullable(),
                ticketNumber: z.string().nullable(),
                before: z.record(z.string(), z.unknown()).nullable(),
                after: z.record(z.string(), z.unknown()).nullable(),
                ip: z.string().nullable(),
                userAgent: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (req) => listAudit(app, requireActor(req), req.query),
  )
}
