import { z } from 'zod'
import type { App } from '../app.ts'
import { badRequest } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { countUnread, listNotifications as listRows, markRead } from '../repositories/notificationRepo.ts'
import { iso8601 } from '../presenters/ticketPresenter.ts'
import { id } from './fields.ts'

export const ListNotifications = z.object({
  unread: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type ListNotifications = z.infer<typeof ListNotifications>

export const MarkRead = z.object({ ids: z.array(id).max(1000).optional() })
export type MarkRead = z.infer<typeof MarkRead>

export async function listNotifications(app: App, actor: Actor, input: ListNotifications) {
  const before = input.cursor === undefined ? undefined : Number(input.cursor)
  if (before !== undefined && !Number.isSafeInteger(before))
    throw badRequest('invalid_cursor', 'The cursor is not valid.')
  const scope = ticketScope(actor)
  const [rows, unreadCount] = await Promise.all([
    listRows(app.db.read, actor.id, scope, {
      limit: input.limit + 1,
      unreadOnly: input.unread === 'true',
      ...(before !== undefined ? { before } : {}),
    }),
    countUnread(app.db.read, actor.id, scope),
  ])
  const page = rows.slice(0, input.limit)
  return {
    items: page.map((n) => ({
      id: n.id,
      ticketNumber: n.ticket_number,
      kind: n.kind,
      text: n.text,
      createdAt: iso8601(n.created_at),
      readAt: n.read_at === null ? null : iso8601(n.read_at),
    })),
    unreadCount,
    nextCursor: rows.length > input.limit ? String(page[page.length - 1]!.id) : null,
  }
}

export async function markNotificationsRead(app: App, actor: Actor, input: MarkRead) {
  const marked = await app.db.transact((trx) => markRead(trx, actor.id, input.ids, app.clock.now()))
  return { marked, unreadCount: await countUnread(app.db.read, actor.id, ticketScope(actor)) }
}
