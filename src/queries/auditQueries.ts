// The audit log for admins: every event (sign-ins, failed sign-ins, security and permission changes, exports,
// ticket changes), newest first, filtered by type, actor and day, keyset-paginated on the event id.
import { sql } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import { badRequest } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { inScope } from '../repositories/ticketRepo.ts'
import { likePrefix } from '../repositories/userRepo.ts'
import { text } from '../commands/fields.ts'

export const ListAudit = z.object({
  type: text(100)
    .optional()
    .describe('An event type (`auth.login_failed`), or a prefix ending in `*` (`auth.*`)'),
  actorId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  from: z.iso.date().optional().describe('First day (UTC), YYYY-MM-DD'),
  to: z.iso.date().optional().describe('Last day (UTC), YYYY-MM-DD, included'),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ListAudit = z.infer<typeof ListAudit>

/**
 * Events about a ticket are shown only when the admin may see the ticket (the one access rule holds here too:
 * an event's before/after can carry a subject); account, security and settings events are always shown.
 */
export async function listAudit(app: App, actor: Actor, input: ListAudit) {
  const before = input.cursor === undefined ? undefined : Number(input.cursor)
  if (before !== undefined && !Number.isSafeInteger(before))
    throw badRequest('invalid_cursor', 'The cursor is not valid.')
  const type = input.type
  const rows = await app.db.read
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('tickets', 'tickets.id', 'e.ticket_id')
    .select([
      'e.id',
      'e.type',
      'e.channel',
      'e.before',
      'e.after',
      'e.created_at',
      'e.ip',
      'e.user_agent',
      'e.actor_id',
      'u.name as actor_name',
      'tickets.number as ticket_number',
    ])
    .where((eb) => eb.or([eb('e.ticket_id', 'is', null), inScope(ticketScope(actor))(eb)]))
    .$if(type !== undefined && type.endsWith('*'), (q) =>
      q.where(sql<boolean>`e.type like ${likePrefix(type!.slice(0, -1))} escape '\\'`),
    )
    .$if(type !== undefined && !type.endsWith('*'), (q) => q.where('e.type', '=', type!))
    .$if(input.actorId !== undefined, (q) => q.where('e.actor_id', '=', input.actorId!))
    .$if(input.from !== undefined, (q) => q.where('e.created_at', '>=', Date.parse(input.from!)))
    .$if(input.to !== undefined, (q) => q.where('e.created_at', '<', Date.parse(input.to!) + 86_400_000))
    .$if(before !== undefined, (q) => q.where('e.id', '<', before!))
    .orderBy('e.id', 'desc')
    .limit(input.limit + 1)
    .execute()
  const page = rows.slice(0, input.limit)
  return {
    items: page.map((e) => ({
      id: e.id,
      type: e.type,
      channel: e.channel,
      actor: e.actor_id === null ? null : { id: e.actor_id, name: e.actor_name ?? '' },
      ticketNumber: e.ticket_number,
      before: e.before === null ? null : (JSON.parse(e.before) as Record<string, unknown>),
      after: e.after === null ? null : (JSON.parse(e.after) as Record<string, unknown>),
      ip: e.ip,
      userAgent: e.user_agent,
      createdAt: new Date(e.created_at).toISOString(),
    })),
    nextCursor: rows.length > input.limit ? String(page[page.length - 1]!.id) : null,
  }
}
