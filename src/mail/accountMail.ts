// Account mail (password reset links, ticket sign-in links, satisfaction surveys), sent from the outbox like every other message.
import { randomUUID } from 'node:crypto'
import type { App } from '../app.ts'
import type { PasswordResetEmail } from '../commands/passwords.ts'
import type { TicketLinkEmail } from '../commands/ticketLinks.ts'
import type { SatisfactionEmail } from '../commands/satisfactionSurvey.ts'
import { loadTemplate, render } from './templates.ts'
import { mailDomain, sendViaSmtp } from './transport.ts'

export async function sendPasswordReset(app: App, mail: PasswordResetEmail): Promise<void> {
  await sendAccountMail(app, 'password_reset', mail, {
    'reset.link': `${app.config.mail.publicUrl}${mail.path}`,
    'reset.expires': whenExpires(mail.expiresAt),
  })
}

/** The single-use sign-in link to one ticket ("check a ticket's status"). */
export async function sendTicketLink(app: App, mail: TicketLinkEmail): Promise<void> {
  await sendAccountMail(app, 'ticket_link', mail, {
    'ticket.number': mail.ticketNumber,
    'ticket.subject': mail.subject,
    'signin.link': `${app.config.mail.publicUrl}${mail.path}`,
    'signin.expires': whenExpires(mail.expiresAt),
  })
}

/** "How did we do?" after a resolution: one link per answer, both to the same single-use page. */
export async function sendSatisfactionSurvey(app: App, mail: SatisfactionEmail): Promise<void> {
  // Without a mail sender the portal still asks; nothing to retry.
  if (!app.config.mail.smtpUrl) return
  const link = `${app.config.mail.publicUrl}${mail.path}`
  await sendAccountMail(app, 'satisfaction', mail, {
    'ticket.number': mail.ticketNumber,
    'ticket.subject': mail.subject,
    'satisfaction.question': mail.question,
    'satisfaction.good': `${link}&rating=good`,
    'satisfaction.bad': `${link}&rating=bad`,
    'satisfaction.expires': whenExpires(mail.expiresAt),
  })
}

const whenExpires = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

/**
 * Renders an admin-editable template for one account and sends it. Without SMTP_URL this throws, so the row is
 * retried and finally dead-lettered where admins see it. The error names no address and no token, because
 * outbox errors are logged.
 */
async function sendAccountMail(
  app: App,
  template: 'password_reset' | 'ticket_link' | 'satisfaction',
  mail: { to: string; name: string },
  variables: Record<string, string>,
): Promise<void> {
  if (!app.config.mail.smtpUrl)
    throw new Error(`no mail sender is configured (SMTP_URL) for ${template} emails`)
  const rendered = render(await loadTemplate(app.db.read, template), {
    'recipient.name': mail.name,
    'recipient.email': mail.to,
    ...variables,
  })
  await sendViaSmtp(app, {
    from: app.config.mail.from,
    to: mail.name ? { name: mail.name, address: mail.to } : mail.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: `<${randomUUID()}@${mailDomain(app)}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  })
}
