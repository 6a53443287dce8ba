// Stopping the real server process: SIGTERM while customers are creating tickets. Every ticket that was
// acknowledged is in the database, every mail the outbox held was delivered whole (a real SMTP sink), and the
// process exits by itself with status 0, both when started directly and through `npm start`.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connection.ts'
import { Client } from './support/client.ts'
import { MailSink, until } from './support/mailSink.ts'
import { DATABASES, scratchDatabaseUrl } from './support/testServer.ts'

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })

interface Running {
  child: ChildProcess
  url: string
  output: () => string
  /** Resolves with the exit status once the process and everything holding its output are gone. */
  closed: Promise<number | null>
}

async function launch(command: string, args: string[], env: Record<string, string>): Promise<Running> {
  const port = await freePort()
  const child = spawn(command, args, {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  // 'close' waits for the output pipes: under npm they stay open until the server itself has exited.
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (i > 600 || child.exitCode !== null) throw new Error(`server did not start:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { child, url, output: () => out, closed }
}

/** Fails the test if the process has not exited 10 s after the signal. */
function exitWithin10s(running: Running): Promise<number | null> {
  return Promise.race([
    running.closed,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still running 10 s after SIGTERM:\n${running.output()}`)), 10_000),
    ),
  ])
}

describe.each(DATABASES)('stopping the server on %s', (kind) => {
  let sink: MailSink
  beforeAll(async () => {
    sink = await new MailSink().start()
  })
  afterAll(() => sink.close())

  it('SIGTERM during load: every acknowledged ticket is stored, its mail delivered whole, exit 0', async () => {
    const scratch = await scratchDatabaseUrl(kind)
    const env = {
      DATABASE_URL: scratch.url,
      SMTP_URL: sink.url,
      MAIL_FROM: 'support@example.com',
      MAIL_SENDER_HOURLY_LIMIT: '1000000',
    }
    const server = await launch(process.execPath, ['bin/switchboard.js', 'start'], env)
    try {
      const ken = await new Client(server.url).as('ken@example.com')
      const run = `${kind}-${Date.now()}`
      const acknowledged: string[] = []
      let stopAfter = Infinity
      const worker = async (w: number) => {
        for (let i = 0; acknowledged.length < stopAfter; i++) {
          const res = await ken
            .post('/api/v1/tickets', { subject: `Signal ${run} ${w}.${i}`, message: 'Load during a stop.' })
            .catch(() => undefined)
          // Refused connections and 503s while closing are fine; a 2xx is a promise to keep.
          if (!res) return
          if (res.status === 201) acknowledged.push(res.body.ticket.number as string)
          else expect([503]).toContain(res.status)
        }
      }
      const load = Promise.all(Array.from({ length: 4 }, (_, w) => worker(w)))
      while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 10))
      server.child.kill('SIGTERM')
      const code = await exitWithin10s(server)
      stopAfter = 0
      await load
      expect(code, server.output()).toBe(0)
      expect(server.output()).toContain('Switchboard stopped.')

      const db = openDatabase(scratch.url)
      try {
        const stored = await db.read
          .selectFrom('tickets')
          .select('number')
          .where('subject', 'like', `Signal ${run} %`)
          .execute()
        const numbers = new Set(stored.map((r) => r.number))
        for (const n of acknowledged) expect(numbers.has(n), `ticket ${n} was acknowledged`).toBe(true)
        // Deliveries not started before the stop wait in the outbox, due now, for the next start.
        const left = await db.read.selectFrom('outbox').select('id').where('dead_at', 'is', null).execute()
        const again = await launch(process.execPath, ['bin/switchboard.js', 'serve'], env)
        try {
          await until(async () => {
            const rows = await db.read.selectFrom('outbox').select('id').execute()
            return rows.length === 0 ? true : undefined
          })
          again.child.kill('SIGTERM')
          expect(await exitWithin10s(again)).toBe(0)
        } finally {
          again.child.kill('SIGKILL')
        }
        expect(left.length + sink.messages.length).toBeGreaterThan(0)
      } finally {
        await db.close()
      }
      // Every acknowledged ticket's auto-response arrived whole, and once: the sink keeps only messages whose
      // DATA finished, so a delivery cut short by the stop would be missing, or sent twice after the restart.
      for (const n of acknowledged) {
        const mails = sink.messages.filter((m) => (m.parsed.subject ?? '').includes(`[#${n}]`))
        expect(mails.filter((m) => m.to.includes('ken@example.com')).length, `auto-response of ${n}`).toBe(1)
        expect(mails[0]!.parsed.text?.trim()).not.toBe('')
      }
    } finally {
      server.child.kill('SIGKILL')
      await scratch.drop()
    }
    // Hundreds of emails go through a real SMTP sink after the restart: slow on a busy machine.
  }, 180_000)
})

describe('npm start', () => {
  it('passes SIGTERM on: the server stops cleanly and exits', async () => {
    const scratch = await scratchDatabaseUrl('sqlite')
    const npm = await launch('npm', ['start', '--silent'], { DATABASE_URL: scratch.url })
    try {
      npm.child.kill('SIGTERM')
      await exitWithin10s(npm)
      expect(npm.output()).toContain('Switchboard stopped.')
      const after = await fetch(`${npm.url}/healthz`).then(
        () => 'answered',
        () => 'refused',
      )
      expect(after).toBe('refused')
    } finally {
      npm.child.kill('SIGKILL')
      await scratch.drop()
    }
  })
})
