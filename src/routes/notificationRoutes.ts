import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import {
  ListNotifications,
  listNotifications,
  MarkRead,
  markNotificationsRead,
} from '../commands/notifications.ts'
import { ErrorOut, requireActor } from './http.ts'

export function notificationRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/notifications',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first',
        description: 'Only for tickets you can still see. Page with `cursor`.',
        querystring: ListNotifications,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                ticketNumber: z.string(),
                kind: z.string(),
                text: z.string(),
                createdAt: z.string(),
                readAt: z.string().nullable(),
              }),
            ),
            unreadCount: z.number(),
            nextCursor: z.string().nullable(),
          }),
          400: ErrorOut,
          401: ErrorOut,
        },
      },
    },
    async (req) => listNotifications(app, requireActor(req), req.query),
  )

  r.post(
    '/api/v1/notifications/read',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read',
        description: 'Marks the listed `ids`, or all of them when `ids` is left out.',
        body: MarkRead.optional(),
        response: {
          200: z.object({ marked: z.number(), unreadCount: z.number() }),
          400: ErrorOut,
          401: ErrorOut,
        },
      },
    },
    async (req) => markNotificationsRead(app, requireActor(req), req.body ?? {}),
  )
}
