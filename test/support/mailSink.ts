// A real SMTP server on loopback that keeps every message it receives, parsed, for assertions.
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface Captured {
  to: string[]
  parsed: ParsedMail
  raw: string
}

export class MailSink {
  readonly messages: Captured[] = []
  private server!: SMTPServer
  port = 0

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          const raw = Buffer.concat(chunks)
          simpleParser(raw).then(
            (parsed) => {
              this.messages.push({
                to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                parsed,
                raw: raw.toString('utf8'),
              })
              callback()
            },
            (e: Error) => callback(e),
          )
        })
      },
    })
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()))
    const address = this.server.server.address()
    this.port = typeof address === 'object' && address ? address.port : 0
    return this
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`
  }

  /** Waits until a message matching `predicate` arrived (the test's own timeout bounds the wait). */
  async waitFor(predicate: (m: Captured) => boolean): Promise<Captured> {
    for (;;) {
      const hit = this.messages.find(predicate)
      if (hit) return hit
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

export async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 25))
  }
}
