// The one nodemailer transport of the process, made from SMTP_URL on first use.
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer'
import type { App } from '../app.ts'

const transports = new WeakMap<App, Transporter>()

export function mailDomain(app: App): string {
  const at = app.config.mail.from.lastIndexOf('@')
  const domain = at < 0 ? 'localhost' : app.config.mail.from.slice(at + 1).replace(/[>\s].*$/, '')
  return domain || 'localhost'
}

export async function sendViaSmtp(app: App, message: SendMailOptions): Promise<void> {
  const url = app.config.mail.smtpUrl
  if (!url) throw new Error('SMTP_URL is not set')
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
