// Webhooks (issue 18): admins register targets for ticket events; the worker delivers them signed, in order
// per ticket, with retries (jobs/webhookDelivery.ts). The secret signs every delivery: it is write-only,
// shown once when we generate it, never returned again.
import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { judgeAddress, ALLOW_PRIVATE_TARGETS_SETTING } from '../../domain/webhookTargets.ts'
import { WEBHOOK_EVENT_NAMES } from '../../domain/webhooks.ts'
import { badRequest, notFound } from '../../errors.ts'
import { DELIVERY_STATUSES } from '../../shared/webhooks.ts'
import type { Actor } from '../../policies/actor.ts'
import { getSetting, putSetting } from '../../repositories/settingsRepo.ts'
import {
  deleteWebhookRow,
  findDelivery,
  findWebhookRow,
  insertWebhookRow,
  listDeliveryRows,
  listWebhookRows,
  requeueDelivery,
  updateWebhookRow,
  type DeliveryRow,
  type WebhookRow,
} from '../../repositories/webhookRepo.ts'
import { text } from '../fields.ts'
import { changedFields, recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

const webhookUrl = z
  .string()
  .max(2000)
  .superRefine((s, ctx) => {
    const problem = urlProblem(s)
    if (problem)
      ctx.addIssue({ code: 'custom', message: problem, params: { errorCode: 'invalid_webhook_url' } })
  })

export const CreateWebhook = z.object({
  url: webhookUrl,
  events: z.array(z.enum(WEBHOOK_EVENT_NAMES)).min(1).max(WEBHOOK_EVENT_NAMES.length),
  /** Omitted: we generate one and show it once, in the answer to this request. */
  secret: text(256, { min: 16 }).optional(),
  active: z.boolean().default(true),
  /** Internal webhooks also get internal notes and every field of a change; for agent-side tools only. */
  internal: z.boolean().default(false),
  description: text(500, { min: 0 }).default(''),
})
export type CreateWebhook = z.infer<typeof CreateWebhook>

export const UpdateWebhook = z.object({
  url: webhookUrl.optional(),
  events: z.array(z.enum(WEBHOOK_EVENT_NAMES)).min(1).max(WEBHOOK_EVENT_NAMES.length).optional(),
  /** A new secret replaces the old one; it is never returned. */
  secret: text(256, { min: 16 }).optional(),
  active: z.boolean().optional(),
  internal: z.boolean().optional(),
  description: text(500, { min: 0 }).optional(),
})
export type UpdateWebhook = z.infer<typeof UpdateWebhook>

export const WebhookSettings = z.object({ allowPrivateTargets: z.boolean() })
export type WebhookSettings = z.infer<typeof WebhookSettings>

/** Syntax only: where a host name points is decided at each delivery, by the address it resolves to. */
function urlProblem(s: string): string | undefined {
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return 'must be an absolute http:// or https:// URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https'
  if (url.username || url.password) return 'must not hold a user name or password; sign with the secret'
  if (url.hash) return 'must not have a #fragment'
  return undefined
}

/** A literal address is judged at once (a host name only when it is resolved, at delivery). */
async function checkLiteralTarget(app: App, url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) === 0) return
  const verdict = judgeAddress(host)
  if (verdict === 'metadata')
    throw badRequest(
      'webhook_target_refused',
      `${host} is a cloud metadata address; webhooks never reach it.`,
    )
  if (verdict === 'private' && !(await privateTargetsAllowed(app)))
    throw badRequest(
      'webhook_target_refused',
      `${host} is a loopback, private or link-local address. An admin can allow such targets for on-premise ` +
        `integrations (PUT /api/v1/admin/webhooks/settings {"allowPrivateTargets": true}).`,
    )
}

export async function privateTargetsAllowed(app: App): Promise<boolean> {
  return (await getSetting(app.db.read, ALLOW_PRIVATE_TARGETS_SETTING)) === 'true'
}

export async function listWebhooks(app: App, actor: Actor): Promise<WebhookRow[]> {
  requireAdmin(actor)
  return listWebhookRows(app.db.read)
}

export async function getWebhook(app: App, actor: Actor, id: number): Promise<WebhookRow> {
  requireAdmin(actor)
  const row = await findWebhookRow(app.db.read, id)
  if (!row) throw notFound('webhook')
  return row
}

const audited = (r: WebhookRow) => ({
  url: r.url,
  events: JSON.parse(r.events) as string[],
  active: r.active === 1,
  internal: r.internal === 1,
  description: r.description,
})

export async function createWebhook(
  app: App,
  actor: Actor,
  input: CreateWebhook,
  meta: AdminMeta,
): Promise<{ row: WebhookRow; generatedSecret: string | undefined }> {
  const admin = requireAdmin(actor)
  await checkLiteralTarget(app, input.url)
  const generatedSecret =
    input.secret === undefined ? `whsec_${randomBytes(24).toString('base64url')}` : undefined
  const at = app.clock.now()
  const row = await app.db.transact(async (trx) => {
    const row = await insertWebhookRow(trx, {
      url: input.url,
      events: JSON.stringify([...new Set(input.events)]),
      secret: input.secret ?? generatedSecret!,
      active: input.active ? 1 : 0,
      internal: input.internal ? 1 : 0,
      description: input.description,
      created_by: admin.id,
      created_at: at,
      updated_at: at,
    })
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.webhook.created',
      meta,
      before: null,
      after: { id: row.id, ...audited(row) },
      at,
    })
    return row
  })
  return { row, generatedSecret }
}

export async function updateWebhook(
  app: App,
  actor: Actor,
  id: number,
  input: UpdateWebhook,
  meta: AdminMeta,
): Promise<WebhookRow> {
  const admin = requireAdmin(actor)
  if (input.url !== undefined) await checkLiteralTarget(app, input.url)
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const before = await findWebhookRow(trx, id)
    if (!before) throw notFound('webhook')
    const row = await updateWebhookRow(trx, id, {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.events !== undefined ? { events: JSON.stringify([...new Set(input.events)]) } : {}),
      ...(input.secret !== undefined ? { secret: input.secret } : {}),
      ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
      ...(input.internal !== undefined ? { internal: input.internal ? 1 : 0 } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      updated_at: at,
    })
    const diff = changedFields(audited(before), audited(row!))
    if (diff || input.secret !== undefined) {
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.webhook.updated',
        meta,
        before: { id, ...diff?.before },
        // The secret itself is never recorded, only that it changed.
        after: { id, ...diff?.after, ...(input.secret !== undefined ? { secretChanged: true } : {}) },
        at,
      })
    }
    return row!
  })
}

export async function deleteWebhook(app: App, actor: Actor, id: number, meta: AdminMeta): Promise<void> {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const before = await findWebhookRow(trx, id)
    if (!before || !(await deleteWebhookRow(trx, id))) throw notFound('webhook')
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.webhook.deleted',
      meta,
      before: { id, ...audited(before) },
      after: null,
      at,
    })
  })
}

export const ListDeliveries = z.object({
  cursor: z.coerce.number().int().positive().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ListDeliveries = z.infer<typeof ListDeliveries>

export async function listDeliveries(
  app: App,
  actor: Actor,
  webhookId: number,
  q: ListDeliveries,
): Promise<{ rows: DeliveryRow[]; nextCursor: number | null }> {
  await getWebhook(app, actor, webhookId)
  const rows = await listDeliveryRows(app.db.read, webhookId, {
    before: q.cursor,
    status: q.status,
    limit: q.limit + 1,
  })
  const more = rows.length > q.limit
  const page = rows.slice(0, q.limit)
  return { rows: page, nextCursor: more ? page[page.length - 1]!.id : null }
}

/** A delivery that failed for good is sent again from the start: a fresh allowance of attempts. */
export async function redeliver(
  app: App,
  actor: Actor,
  webhookId: number,
  deliveryId: number,
  meta: AdminMeta,
): Promise<DeliveryRow> {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const row = await findDelivery(trx, webhookId, deliveryId)
    if (!row) throw notFound('delivery')
    if (row.status !== 'failed')
      throw badRequest(
        'delivery_not_failed',
        row.status === 'pending'
          ? 'This delivery is still being tried; only a failed delivery can be sent again.'
          : 'This delivery already succeeded.',
      )
    await requeueDelivery(trx, webhookId, deliveryId, at)
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.webhook.redelivered',
      meta,
      before: null,
      after: { webhookId, deliveryId },
      at,
    })
    return (await findDelivery(trx, webhookId, deliveryId))!
  })
}

export async function getWebhookSettings(app: App, actor: Actor): Promise<WebhookSettings> {
  requireAdmin(actor)
  return { allowPrivateTargets: await privateTargetsAllowed(app) }
}

export async function setWebhookSettings(
  app: App,
  actor: Actor,
  input: WebhookSettings,
  meta: AdminMeta,
): Promise<WebhookSettings> {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    const before = (await getSetting(trx, ALLOW_PRIVATE_TARGETS_SETTING)) === 'true'
    await putSetting(trx, ALLOW_PRIVATE_TARGETS_SETTING, input.allowPrivateTargets ? 'true' : 'false')
    if (before !== input.allowPrivateTargets)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.webhook_settings.updated',
        meta,
        before: { allowPrivateTargets: before },
        after: { allowPrivateTargets: input.allowPrivateTargets },
        at: app.clock.now(),
      })
  })
  return input
}
