// The inbound SMTP listener inside `serve` (SMTP_LISTEN_PORT). It accepts mail only for our intake
// addresses, answers 250 only after the raw message is committed, and processes it after answering.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import type { App } from '../app.ts'
import { processInbound, storeInbound } from './receiveEmail.ts'

export interface SmtpListener {
  port: number
  close(): Promise<void>
  /** Resolves when every message accepted so far has been processed (tests, shutdown). */
  idle(): Promise<void>
}

export async function startSmtpListener(app: App, port: number, host: string): Promise<SmtpListener> {
  const inFlight = new Set<Promise<unknown>>()
  const options: SMTPServerOptions = {
    name: 'switchboard',
    banner: 'Switchboard help desk',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: app.config.mail.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      const rcpt = address.address.toLowerCase()
      app.db.read
        .selectFrom('intake_addresses')
        .select('address')
        .where('address', '=', rcpt)
        .executeTakeFirst()
        .then(
          (row) =>
            row
              ? callback()
              : callback(
                  Object.assign(new Error(`5.1.1 <${rcpt}>: no such mailbox here`), { responseCode: 550 }),
                ),
          () =>
            callback(Object.assign(new Error('4.3.0 Temporary failure, try again'), { responseCode: 451 })),
        )
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }))
          return
        }
        const raw = Buffer.concat(chunks)
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase())
        storeInbound(app, raw, { source: 'smtp', envelopeTo }).then(
          (stored) => {
            callback(null, `2.0.0 Queued as ${stored.id}`)
            const work = processInbound(app, stored.id)
              .catch((error: unknown) => console.error(`smtp: processing ${stored.id} failed`, error))
              .finally(() => inFlight.delete(work))
            inFlight.add(work)
          },
          (error: unknown) => {
            console.error('smtp: could not store a message', error)
            callback(Object.assign(new Error('4.3.0 Temporary failure, try again'), { responseCode: 451 }))
          },
        )
      })
    },
  }
  const server = new SMTPServer(options)
  server.on('error', (error) => console.error('smtp: listener error', error))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.server.address()
  return {
    port: typeof address === 'object' && address ? address.port : port,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight])
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      while (inFlight.size > 0) await Promise.all([...inFlight])
    },
  }
}
