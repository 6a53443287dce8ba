// Outgoing mail templates: an admin's version of each, the default back, and a preview with sample data.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { badRequest } from '../../errors.ts'
import {
  render,
  TEMPLATE_VARIABLES,
  type Rendered,
  type TemplateKey,
  type TemplateVars,
} from '../../mail/templates.ts'
import type { Actor } from '../../policies/actor.ts'
import { deleteTemplate, upsertTemplate } from '../../repositories/mailTemplateRepo.ts'
import { text } from '../fields.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export const TemplateIn = z.object({ subject: text(255), body: text(50_000) })
export type TemplateIn = z.infer<typeof TemplateIn>

function requireKnownVariables(input: TemplateIn): void {
  const unknown = [...`${input.subject} ${input.body}`.matchAll(/\{\{\s*([a-z.]+)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v))
  if (unknown.length > 0) throw badRequest('unknown_variable', `Unknown template variable: ${unknown[0]}`)
}

export async function saveTemplate(
  app: App,
  actor: Actor,
  key: TemplateKey,
  input: TemplateIn,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  requireKnownVariables(input)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    await upsertTemplate(trx, key, input, at)
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.mail_template.updated',
      meta,
      before: null,
      after: { key },
      at,
    })
  })
}

/** Back to the default text: the admin's version is removed. */
export async function resetTemplate(app: App, actor: Actor, key: TemplateKey, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    if (!(await deleteTemplate(trx, key))) return
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.mail_template.reset',
      meta,
      before: { key },
      after: null,
      at,
    })
  })
}

/** What a template's variables become in the preview: a made-up ticket, never a real one. */
export function sampleVariables(publicUrl: string): TemplateVars {
  return {
    'ticket.number': '100042',
    'ticket.subject': 'The printer on floor 3 is jammed',
    'ticket.link': `${publicUrl}/portal/tickets/100042`,
    'department.name': 'Support',
    'recipient.name': 'Ken Adams',
    'recipient.email': 'ken@example.com',
    'author.name': 'John Doe',
    message: 'Thanks for letting us know. A technician is on the way.',
    'reset.link': `${publicUrl}/reset-password?token=sample`,
    'reset.expires': '1 hour',
    'signin.link': `${publicUrl}/portal/ticket-link?token=sample`,
    'signin.expires': '24 hours',
  }
}

/** The template as it would be sent (subject, text and HTML), filled with sample data; nothing is saved. */
export function previewTemplate(app: App, actor: Actor, input: TemplateIn): Rendered {
  requireAdmin(actor)
  requireKnownVariables(input)
  return render(input, sampleVariables(app.config.mail.publicUrl))
}
