// Account mail (password reset links, ticket sign-in links), sent from the outbox like every other message.
import { randomUUID } from 'node:crypto'
import type { App } from '../app.ts'
import type { PasswordResetEmail } from '../commands/passwords.ts'
import type { TicketLinkEmail } from '../commands/ticketLinks.ts'
import { loadTemplate, render } from './templates.ts'
import { mailDomain, sendViaSmtp } from './transport.ts'

/**
 * Without SMTP_URL this throws, so the row is retried and finally dead-lettered where admins see it. The error
 * names no address and no token, because outbox errors are logged.
 */
export async function sendPasswordReset(app: App, mail: PasswordResetEmail): Promise<void> {
  if (!app.config.mail.smtpUrl)
    throw new Error('no mail sender is configured (SMTP_URL) for password reset emails')
  const rendered = render(await loadTemplate(app.db.read, 'password_reset'), {
    'recipient.name': mail.name,
    'recipient.email': mail.to,
    'reset.link': `${app.config.mail.publicUrl}${mail.path}`,
    'reset.expires': whenExpires(mail.expiresAt),
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

const whenExpires = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

/** The single-use sign-in link to one ticket ("check a ticket's status"); like sendPasswordReset otherwise. */
export async function sendTicketLink(app: App, mail: TicketLinkEmail): Promise<void> {
  if (!app.config.mail.smtpUrl)
    throw new Error('no mail sender is configured (SMTP_URL) for ticket link emails')
  const rendered = render(await loadTemplate(app.db.read, 'ticket_link'), {
    'recipient.name': mail.name,
    'recipient.email': mail.to,
    'ticket.number': mail.ticketNumber,
    'ticket.subject': mail.subject,
    'signin.link': `${app.config.mail.publicUrl}${mail.path}`,
    'signin.expires': whenExpires(mail.expiresAt),
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
