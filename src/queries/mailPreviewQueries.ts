// Admin › Mail preview: the outgoing mail kept because no SMTP server is configured. It holds password-reset
// and sign-in links, so only admins read it (checked here too, whoever the caller); mail about a ticket only
// when the admin's detail view would show that ticket (the one access rule).
import type { App } from '../app.ts'
import { requireAdmin } from '../commands/admin/adminWrites.ts'
import { notFound } from '../errors.ts'
import { mailIsDelivered } from '../mail/transport.ts'
import type { Actor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import {
  countMailPreviews,
  findMailPreview,
  listMailPreviews,
  MAIL_PREVIEW_KEEP,
} from '../repositories/mailPreviewRepo.ts'

export async function mailPreviews(app: App, actor: Actor, limit: number) {
  const scope = ticketScope(requireAdmin(actor))
  const [rows, counts] = await Promise.all([
    listMailPreviews(app.db.read, scope, limit),
    countMailPreviews(app.db.read, scope),
  ])
  return {
    delivering: mailIsDelivered(app),
    kept: counts.kept,
    hidden: counts.kept - counts.visible,
    keepAtMost: MAIL_PREVIEW_KEEP,
    rows,
  }
}

export async function mailPreview(app: App, actor: Actor, id: number) {
  const row = await findMailPreview(app.db.read, ticketScope(requireAdmin(actor)), id)
  if (!row) throw notFound('mail preview')
  return row
}
