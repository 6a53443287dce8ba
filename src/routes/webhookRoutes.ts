// Webhooks in the admin console's API (issue 18). Every route is policy 'admin'; the commands check it again.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import {
  CreateWebhook,
  createWebhook,
  deleteWebhook,
  getWebhook,
  getWebhookSettings,
  ListDeliveries,
  listDeliveries,
  listWebhooks,
  redeliver,
  setWebhookSettings,
  UpdateWebhook,
  updateWebhook,
  WebhookSettings,
} from '../commands/admin/webhooks.ts'
import { id } from '../commands/fields.ts'
import { WEBHOOK_EVENT_NAMES, INTERNAL_ONLY_EVENTS } from '../domain/webhooks.ts'
import { DeliveryOut, presentDelivery, presentWebhook, WebhookOut } from '../presenters/webhookPresenter.ts'
import { ErrorOut, requireActor } from './http.ts'

const IdParams = z.object({ id: z.coerce.number().pipe(id) })
const DeliveryParams = z.object({ id: z.coerce.number().pipe(id), deliveryId: z.coerce.number().pipe(id) })
const readErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const writeErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }
const admin = { policy: 'admin' } as const
const tags = ['admin', 'webhooks']

export function webhookRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/webhooks',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All webhooks, and the event kinds one can subscribe to',
        response: {
          200: z.object({
            items: z.array(WebhookOut),
            events: z.array(z.object({ name: z.string(), internalOnly: z.boolean() })),
          }),
          ...readErrors,
        },
      },
    },
    async (req) => ({
      items: (await listWebhooks(app, requireActor(req))).map(presentWebhook),
      events: WEBHOOK_EVENT_NAMES.map((name) => ({ name, internalOnly: INTERNAL_ONLY_EVENTS.has(name) })),
    }),
  )
  r.post(
    '/api/v1/admin/webhooks',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Register a webhook',
        description:
          'Without a `secret`, one is generated and returned once, in this answer, as `secret`; it is never ' +
          'shown again. A target at a literal loopback, private or link-local address answers 400 ' +
          '`webhook_target_refused` unless private targets are allowed; a metadata address is always refused.',
        body: CreateWebhook,
        response: {
          201: z.object({ webhook: WebhookOut, secret: z.string().optional() }),
          ...writeErrors,
        },
      },
    },
    async (req, reply) => {
      const { row, generatedSecret } = await createWebhook(app, requireActor(req), req.body, {
        channel: req.channel,
      })
      return reply
        .code(201)
        .send({ webhook: presentWebhook(row), ...(generatedSecret ? { secret: generatedSecret } : {}) })
    },
  )
  r.get(
    '/api/v1/admin/webhooks/settings',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Webhook settings',
        response: { 200: WebhookSettings, ...readErrors },
      },
    },
    async (req) => getWebhookSettings(app, requireActor(req)),
  )
  r.put(
    '/api/v1/admin/webhooks/settings',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change the webhook settings',
        description:
          '`allowPrivateTargets` lets webhooks reach loopback, private (RFC 1918, ULA), link-local and CGNAT ' +
          'addresses, for on-premise integrations. Cloud metadata addresses stay refused.',
        body: WebhookSettings,
        response: { 200: WebhookSettings, ...writeErrors },
      },
    },
    async (req) => setWebhookSettings(app, requireActor(req), req.body, { channel: req.channel }),
  )
  r.get(
    '/api/v1/admin/webhooks/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'One webhook',
        params: IdParams,
        response: { 200: z.object({ webhook: WebhookOut }), ...readErrors },
      },
    },
    async (req) => ({ webhook: presentWebhook(await getWebhook(app, requireActor(req), req.params.id)) }),
  )
  r.patch(
    '/api/v1/admin/webhooks/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change, enable or disable a webhook',
        description: 'A new `secret` replaces the old one. Deliveries already queued keep their payload.',
        params: IdParams,
        body: UpdateWebhook,
        response: { 200: z.object({ webhook: WebhookOut }), ...writeErrors },
      },
    },
    async (req) => ({
      webhook: presentWebhook(
        await updateWebhook(app, requireActor(req), req.params.id, req.body, { channel: req.channel }),
      ),
    }),
  )
  r.delete(
    '/api/v1/admin/webhooks/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Delete a webhook and its deliveries',
        params: IdParams,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (req, reply) => {
      await deleteWebhook(app, requireActor(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
  r.get(
    '/api/v1/admin/webhooks/:id/deliveries',
    {
      config: admin,
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first",
        description: 'Keyset-paged: pass `nextCursor` as `cursor`. Filter with `status`.',
        params: IdParams,
        querystring: ListDeliveries,
        response: {
          200: z.object({ items: z.array(DeliveryOut), nextCursor: z.number().nullable() }),
          ...readErrors,
        },
      },
    },
    async (req) => {
      const { rows, nextCursor } = await listDeliveries(app, requireActor(req), req.params.id, req.query)
      return { items: rows.map(presentDelivery), nextCursor }
    },
  )
  r.post(
    '/api/v1/admin/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Send a failed delivery again',
        description:
          'Only a `failed` delivery: it becomes pending with a fresh allowance of attempts (400 `delivery_not_failed` otherwise).',
        params: DeliveryParams,
        response: { 200: z.object({ delivery: DeliveryOut }), ...writeErrors },
      },
    },
    async (req) => ({
      delivery: presentDelivery(
        await redeliver(app, requireActor(req), req.params.id, req.params.deliveryId, {
          channel: req.channel,
        }),
      ),
    }),
  )
}
