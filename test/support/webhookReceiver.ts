// A webhook receiver on loopback for tests: records every request it gets and answers as the test says.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
  url: string
}

export interface Answer {
  status: number
  body?: string
  headers?: Record<string, string>
}

export class WebhookReceiver {
  readonly received: Received[] = []
  answer: (r: Received) => Answer = () => ({ status: 200, body: 'ok' })
  private server: Server | undefined
  url = ''

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' }
        this.received.push(r)
        const a = this.answer(r)
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers })
        res.end(a.body ?? '')
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    return this
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise((r) => this.server?.close(r))
  }
}
