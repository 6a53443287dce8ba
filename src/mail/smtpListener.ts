// The inbound SMTP listener inside `serve` (SMTP_LISTEN_PORT). It accepts mail only for our intake
// addresses, answers 250 only after the raw message is committed, and processes it after answering.
//
// Anyone on the internet may connect, so what a client can make us hold is bounded (docs/SECURITY.md,
// "Limits"): connections in all and per IP, an idle timeout, and memory. An arriving message keeps its first
// MiB in memory and the rest in a spool file; one over the size limit is drained and discarded as it arrives
// and answered 552; storing one needs it whole in memory, and one that does not fit in the budget beside the
// others is answered 452 (the sender retries). Before this, every message was buffered whole before the 552:
// 400 MiB sent took the server from 312 to 569 MiB RSS (issue 9).
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import type { SmtpLimits } from '../config.ts'
import type { App } from '../app.ts'
import { processInbound, storeInbound } from './receiveEmail.ts'
import { Spool, SpoolDirectory } from './spool.ts'

/** What one arriving message keeps in memory; the rest waits in a file of the spool directory. */
const IN_MEMORY_BYTES = 1024 * 1024

export interface SmtpListener {
  port: number
  /** Where arriving messages past their first MiB wait (a private directory under TMPDIR). */
  spoolDirectory: string
  close(): Promise<void>
  /** Resolves when every message accepted so far has been processed (tests, shutdown). */
  idle(): Promise<void>
}

const smtpError = (responseCode: number, message: string) =>
  Object.assign(new Error(message), { responseCode })

export async function startSmtpListener(app: App, port: number, host: string): Promise<SmtpListener> {
  const inFlight = new Set<Promise<unknown>>()
  const limits: SmtpLimits = app.config.mail.smtp
  const maxBytes = app.config.mail.maxMessageBytes
  /** Open sessions by client IP (session ids, so a refused connection's close is not counted twice). */
  const byIp = new Map<string, Set<string>>()
  /** Bytes of messages held in memory (arriving or being stored), over all connections. */
  let buffered = 0
  const spoolDir = await SpoolDirectory.create()
  const options: SMTPServerOptions = {
    name: 'switchboard',
    banner: 'Switchboard help desk',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    // Over the size limit is 552 whatever onData answered (a 452 for the memory budget included).
    rejectOversized: true,
    // smtp-server answers the connection over the limit with 421 and closes it.
    maxClients: limits.maxConnections,
    socketTimeout: limits.idleTimeoutMs,
    // A PTR lookup per connection lets a client hold a slot while DNS times out; nothing here uses the name.
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      const ip = session.remoteAddress
      const open = byIp.get(ip) ?? new Set<string>()
      if (open.size >= limits.maxConnectionsPerIp) {
        callback(smtpError(421, '4.7.0 Too many connections from your address, try again later'))
        return
      }
      open.add(session.id)
      byIp.set(ip, open)
      callback()
    },
    onClose(session) {
      const open = byIp.get(session.remoteAddress)
      if (!open?.delete(session.id)) return
      if (open.size === 0) byIp.delete(session.remoteAddress)
    },
    onRcptTo(address, _session, callback) {
      const rcpt = address.address.toLowerCase()
      app.db.read
        .selectFrom('intake_addresses')
        .select('address')
        .where('address', '=', rcpt)
        .executeTakeFirst()
        .then(
          (row) => (row ? callback() : callback(smtpError(550, `5.1.1 <${rcpt}>: no such mailbox here`))),
          () => callback(smtpError(451, '4.3.0 Temporary failure, try again')),
        )
    },
    onData(stream, session, callback) {
      const spool = new Spool(spoolDir)
      let counted = 0
      const count = (bytes: number) => {
        counted += bytes
        buffered += bytes
      }
      const release = () => {
        buffered -= counted
        counted = 0
        spool.discard()
      }
      // Answering before the stream ends makes smtp-server drain the rest of the message unread and send
      // this reply after the final dot (the client cannot hear us before it); over the size limit it is 552
      // whatever we say (rejectOversized).
      const refuse = (error: Error) => {
        release()
        stream.removeListener('data', onChunk)
        stream.removeListener('end', onEnd)
        stream.resume()
        callback(error)
      }
      const onChunk = (c: Buffer) => {
        if (spool.size + c.length > maxBytes) return refuse(smtpError(552, '5.3.4 Message too big'))
        if (spool.failed) return refuse(smtpError(451, '4.3.0 Temporary failure, try again'))
        const toMemory =
          spool.inMemory + c.length <= IN_MEMORY_BYTES && buffered + c.length <= limits.maxBufferedBytes
        if (toMemory) count(c.length)
        if (!spool.write(c, toMemory)) {
          stream.pause()
          void spool.drained().then(() => stream.resume())
        }
      }
      const onEnd = () => {
        // Storing needs the whole message in memory: it must fit in the budget beside the others.
        const rest = spool.size - spool.inMemory
        if (spool.failed || buffered + rest > limits.maxBufferedBytes) {
          release()
          callback(
            spool.failed
              ? smtpError(451, '4.3.0 Temporary failure, try again')
              : smtpError(452, '4.3.1 Insufficient system storage, try again later'),
          )
          return
        }
        count(rest)
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase())
        spool
          .read()
          .then((raw) => storeInbound(app, raw, { source: 'smtp', envelopeTo }))
          .then(
            (stored) => {
              release()
              callback(null, `2.0.0 Queued as ${stored.id}`)
              const work = processInbound(app, stored.id)
                .catch((error: unknown) => console.error(`smtp: processing ${stored.id} failed`, error))
                .finally(() => inFlight.delete(work))
              inFlight.add(work)
            },
            (error: unknown) => {
              release()
              console.error('smtp: could not store a message', error)
              callback(smtpError(451, '4.3.0 Temporary failure, try again'))
            },
          )
      }
      stream.on('data', onChunk)
      stream.on('end', onEnd)
      // The client went away mid-message: smtp-server destroys the stream, and what it held is freed.
      stream.on('error', () => {
        stream.removeListener('end', onEnd)
        release()
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
    spoolDirectory: spoolDir.path,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight])
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      while (inFlight.size > 0) await Promise.all([...inFlight])
      await spoolDir.remove()
    },
  }
}
