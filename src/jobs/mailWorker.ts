// The mail side of `serve`: the SMTP listener (when SMTP_LISTEN_PORT is set), the IMAP poller for the
// mailboxes admins configured, and a sweep that processes messages stored before a crash but never processed.
import type { App } from '../app.ts'
import { sealStoredMailboxPasswords } from '../commands/admin/mailboxes.ts'
import { processPending } from '../mail/receiveEmail.ts'
import { startSmtpListener, type SmtpListener } from '../mail/smtpListener.ts'
import { closeTransport } from '../mail/transport.ts'
import { ImapPoller } from './imapPolling.ts'

const SWEEP_MS = 30_000

export interface MailWorker {
  smtp: SmtpListener | undefined
  close(): Promise<void>
}

export async function startMailWorker(app: App, options: { inbound: boolean }): Promise<MailWorker> {
  const { listenPort, listenHost } = app.config.mail
  const smtp =
    options.inbound && listenPort !== undefined
      ? await startSmtpListener(app, listenPort, listenHost)
      : undefined
  const poller = new ImapPoller(app)
  let sweeping = false
  const sweep = async () => {
    if (sweeping) return
    sweeping = true
    try {
      await processPending(app, SWEEP_MS)
      await poller.sync()
    } catch (error) {
      console.error('mail: sweep failed', error)
    } finally {
      sweeping = false
    }
  }
  await sealStoredMailboxPasswords(app).catch((error: unknown) =>
    console.error('mail: sealing stored mailbox passwords failed', error),
  )
  void sweep()
  const timer = setInterval(() => void sweep(), SWEEP_MS)
  timer.unref()
  return {
    smtp,
    async close() {
      clearInterval(timer)
      await smtp?.close()
      await poller.stop()
      closeTransport(app)
    },
  }
}
