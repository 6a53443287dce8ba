// Account mail (password reset links, ticket sign-in links, satisfaction surveys), sent from the outbox like every other message.
import { randomUUID } from 'node:crypto'
import type { App } from '../app.ts'
import type { PasswordResetEmail } from '../commands/passwords.ts'
import type { TicketLinkEmail } from '../commands/ticketLinks.ts'
import type { SatisfactionEmail } from '../commands/satisfactionSurvey.ts'
import { findTicketByNumber } from '../repositories/ticketRepo.ts'
import { loadTemplate, render } from './templates.ts'
import { deliverMail, mailDomain } from './transport.ts'

export async function sendPasswordReset(app: App, mail: PasswordResetEmail): Promise<void> {
  await sendAccountMail(app, 'password_reset', null, mail, {
    'reset.link': `${app.config.mail.publicUrl}${mail.path}`,
    'reset.expires': whenExpires(mail.expiresAt),
  })
}

/** The single-use sign-in link to one ticket ("check a ticket's status"). */
export async function sendTicketLink(app: App, mail: TicketLinkEmail): Promise<void> {
  const ticket = await findTicketByNumber(app.db.read, mail.ticketNumber)
  await sendAccountMail(app, 'ticket_link', ticket?.id ?? null, mail, {
    'ticket.number': mail.ticketNumber,
    'ticket.subject': mail.subject,
    'signin.link': `${app.config.mail.publicUrl}${mail.path}`,
    'signin.expires': whenExpires(mail.expiresAt),
  })
}

/** "How did we do?" after a resolution: one link per answer, both to the same single-use page. */
export async function sendSatisfactionSurvey(app: App, mail: SatisfactionEmail): Promise<void> {
  // Without a mail sender the survey is kept in Mail preview (transport.ts), and the portal asks too.
  const link = `${app.config.mail.publicUrl}${mail.path}`
  const ticket = await findTicketByNumber(app.db.read, mail.ticketNumber)
  await sendAccountMail(app, 'satisfaction', ticket?.id ?? null, mail, {
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
 * Renders an admin-editable template for one account and sends it; without SMTP_URL it is kept in Mail preview,
 * where an admin can open the link (transport.ts). Delivery errors name no address and no token, because outbox
 * errors are logged.
 */
async function sendAccountMail(
  app: App,
  template: 'password_reset' | 'ticket_link' | 'satisfaction',
  ticketId: number | null,
  mail: { to: string; name: string },
  variables: Record<string, string>,
): Promise<void> {
  const rendered = render(await loadTemplate(app.db.read, template), {
    'recipient.name': mail.name,
    'recipient.email': mail.to,
    ...variables,
  })
  await deliverMail(
    app,
    { kind: template, ticketId },
    {
      from: app.config.mail.from,
      to: mail.name ? { name: mail.name, address: mail.to } : mail.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: `<${randomUUID()}@${mailDomain(app)}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    },
  )
}
