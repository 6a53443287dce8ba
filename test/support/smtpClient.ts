// A bare SMTP client on a raw socket, for tests that must do what a well-behaved library will not: open many
// connections, stream a message far over the size limit, or connect and then say nothing.
import { connect, type Socket } from 'node:net'

export interface SmtpReply {
  code: number
  text: string
}

export class RawSmtp {
  private buffer = ''
  private pending: string[] = []
  private waiting: ((reply: SmtpReply | null) => void)[] = []
  private replies: (SmtpReply | null)[] = []
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => this.read(d))
    socket.on('error', () => {})
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
    void this.closed.then(() => this.deliver(null))
  }

  static async open(
    port: number,
    host = '127.0.0.1',
  ): Promise<{ smtp: RawSmtp; greeting: SmtpReply | null }> {
    const socket = connect(port, host)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const smtp = new RawSmtp(socket)
    return { smtp, greeting: await smtp.reply() }
  }

  private read(data: string): void {
    this.buffer += data
    // A reply is complete at a line whose code is followed by a space (RFC 5321 §4.2.1).
    const lines = this.buffer.split('\r\n')
    this.buffer = lines.pop() ?? ''
    for (const line of lines) {
      this.pending.push(line.slice(4))
      if (line[3] !== '-') {
        this.deliver({ code: Number(line.slice(0, 3)), text: this.pending.join('\n') })
        this.pending = []
      }
    }
  }

  private deliver(reply: SmtpReply | null): void {
    const next = this.waiting.shift()
    if (next) next(reply)
    else this.replies.push(reply)
  }

  /** The next reply, or null once the server has closed the connection. */
  reply(): Promise<SmtpReply | null> {
    if (this.replies.length > 0) return Promise.resolve(this.replies.shift()!)
    if (this.socket.destroyed) return Promise.resolve(null)
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  async command(line: string): Promise<SmtpReply | null> {
    this.socket.write(`${line}\r\n`)
    return this.reply()
  }

  /** EHLO, MAIL FROM, RCPT TO and DATA; resolves with the reply to DATA (354 to go on). */
  async begin(from: string, to: string): Promise<SmtpReply | null> {
    for (const line of ['EHLO client.test', `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`]) {
      const r = await this.command(line)
      if (!r || r.code >= 400) return r
    }
    return this.command('DATA')
  }

  /**
   * Streams a message of about `bytes` bytes (a header, then lines of 998 characters) and the final dot, with
   * backpressure: never more than one chunk waits in memory here. Resolves with the reply to the message.
   */
  async sendBody(bytes: number, subject = 'flood'): Promise<SmtpReply | null> {
    const header = `From: <flood@client.test>\r\nTo: <support@example.com>\r\nSubject: ${subject}\r\n\r\n`
    const line = `${'x'.repeat(998)}\r\n`
    const chunk = Buffer.from(line.repeat(64))
    if (!this.socket.write(header)) await this.drained()
    for (let sent = header.length; sent < bytes && !this.socket.destroyed; sent += chunk.length)
      if (!this.socket.write(chunk)) await this.drained()
    this.socket.write('.\r\n')
    return this.reply()
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done)
        this.socket.off('close', done)
        resolve()
      }
      this.socket.once('drain', done)
      this.socket.once('close', done)
    })
  }

  close(): void {
    this.socket.destroy()
  }
}
