// Outgoing mail kept for admins when no SMTP server is configured (Admin › Mail preview), newest first and
// bounded: each insert drops what falls beyond the newest MAIL_PREVIEW_KEEP.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { TicketScope } from '../policies/ticketPolicy.ts'
import { inScope } from './ticketRepo.ts'

export const MAIL_PREVIEW_KEEP = 500

export interface NewMailPreview {
  kind: string
  ticketId: number | null
  toAddress: string
  toName: string | null
  subject: string
  text: string
  html: string | null
  attachments: string[]
  at: number
}

export async function keepMailPreview(trx: Kysely<DB>, mail: NewMailPreview): Promise<void> {
  await trx
    .insertInto('mail_previews')
    .values({
      kind: mail.kind,
      ticket_id: mail.ticketId,
      to_address: mail.toAddress,
      to_name: mail.toName,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      attachments: JSON.stringify(mail.attachments),
      created_at: mail.at,
    })
    .execute()
  // Fewer rows than the limit: the subquery is empty (null) and `id < null` deletes nothing.
  await trx
    .deleteFrom('mail_previews')
    .where('id', '<', (eb) =>
      eb
        .selectFrom('mail_previews')
        .select('id')
        .orderBy('id', 'desc')
        .limit(1)
        .offset(MAIL_PREVIEW_KEEP - 1),
    )
    .execute()
}

/** Kept mail the scope may read: account mail, and mail about a ticket the detail view would show. */
const visible = (db: Kysely<DB>, scope: TicketScope) =>
  db
    .selectFrom('mail_previews as m')
    .leftJoin('tickets', 'tickets.id', 'm.ticket_id')
    .where((eb) => eb.or([eb('m.ticket_id', 'is', null), inScope(scope)(eb)]))

export function listMailPreviews(db: Kysely<DB>, scope: TicketScope, limit: number) {
  return visible(db, scope)
    .select(['m.id', 'm.kind', 'm.to_address', 'm.to_name', 'm.subject', 'm.created_at'])
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute()
}

export function findMailPreview(db: Kysely<DB>, scope: TicketScope, id: number) {
  return visible(db, scope).selectAll('m').where('m.id', '=', id).executeTakeFirst()
}

/** How many are kept in all, and how many of them the scope may read. */
export async function countMailPreviews(db: Kysely<DB>, scope: TicketScope) {
  const [all, seen] = await Promise.all([
    db
      .selectFrom('mail_previews')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
    visible(db, scope)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { kept: Number(all.n), visible: Number(seen.n) }
}
