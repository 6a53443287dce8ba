// The one nodemailer transport of the process, made from SMTP_URL on first use. Without SMTP_URL nothing is
// delivered: each message is kept instead for admins to read under Admin › Mail preview (the newest 500), so a
// desk without a mail server can still finish a password reset, and no mail is lost without anyone knowing.
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer'
import type { App } from '../app.ts'
import { keepMailPreview } from '../repositories/mailPreviewRepo.ts'

const transports = new WeakMap<App, Transporter>()

export function mailDomain(app: App): string {
  const at = app.config.mail.from.lastIndexOf('@')
  const domain = at < 0 ? 'localhost' : app.config.mail.from.slice(at + 1).replace(/[>\s].*$/, '')
  return domain || 'localhost'
}

/** Whether outgoing mail reaches anyone; when false it is kept in Mail preview instead. */
export const mailIsDelivered = (app: App): boolean => Boolean(app.config.mail.smtpUrl)

/**
 * Added to "we sent you a link" answers while no mail is delivered, so the page does not promise mail that
 * will never arrive. The same for every address, so it reveals nothing about accounts.
 */
export const withDeliveryNote = (app: App, message: string): string =>
  mailIsDelivered(app)
    ? message
    : `${message} This help desk does not send email yet: an admin can find the message under Admin › Mail preview.`

/** The parts of a message this program sends (plain strings, as its senders build them). */
export interface Outgoing extends SendMailOptions {
  to: string | { name: string; address: string }
  subject: string
  text: string
  html?: string
}

/**
 * Sends by SMTP, or, without SMTP_URL, keeps the message in Mail preview. `kind` names the template; `ticketId`
 * the ticket it is about, so that only admins who may see the ticket see the message.
 */
export async function deliverMail(
  app: App,
  about: { kind: string; ticketId: number | null },
  message: Outgoing,
): Promise<void> {
  const url = app.config.mail.smtpUrl
  if (!url) {
    const to = typeof message.to === 'string' ? { name: null, address: message.to } : message.to
    // A transaction of its own, like the outbox handler's other writes: the row it delivers is deleted after.
    await app.db.transact((trx) =>
      keepMailPreview(trx, {
        kind: about.kind,
        ticketId: about.ticketId,
        toAddress: to.address,
        toName: to.name || null,
        subject: message.subject,
        text: message.text,
        html: message.html ?? null,
        attachments: (message.attachments ?? []).map((a) => String(a.filename ?? 'attachment')),
        at: app.clock.now(),
      }),
    )
    return
  }
  let transport = transports.get(app)
  if (!transport) {
    transport = nodemailer.createTransport(url)
    transports.set(app, transport)
  }
  await transport.sendMail(message)
}

export function closeTransport(app: App): void {
  transports.get(app)?.close()
  transports.delete(app)
}
