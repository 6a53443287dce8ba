// The SMTP flood of issue 9 (finding 2), as written there: 8 connections each send a 200 MiB message to the
// listener of a real `switchboard start` process. The server's RSS (read from /proc/<pid>/status) must stay
// within 64 MiB of where it started, every message is answered 552, and /healthz answers throughout.
// Before the fix each connection buffered its whole message before answering 552 (400 MiB sent took the
// server from 312 to 569 MiB). In a file of its own, so it runs beside the rest of the suite.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RawSmtp } from './support/smtpClient.ts'

const MiB = 1024 * 1024
const CONNECTIONS = 8
const MESSAGE_BYTES = 200 * MiB

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)
  if (!kb) throw new Error(`no VmRSS for ${pid}`)
  return Number(kb[1]) * 1024
}

describe.skipIf(process.platform !== 'linux')('SMTP flood against a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-flood-'))
  let child: ChildProcess
  let httpUrl: string
  let smtpPort: number
  let output = ''

  beforeAll(async () => {
    const [port, smtp] = [await freePort(), await freePort()]
    smtpPort = smtp
    httpUrl = `http://127.0.0.1:${port}`
    // Every limit at its default: only the ports and the database are chosen here.
    child = spawn(process.execPath, ['bin/switchboard.js', 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${join(dir, 'flood.db')}`,
        PORT: String(port),
        SMTP_LISTEN_PORT: String(smtp),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
    // The listener starts after the HTTP server; `serve` says when it accepts mail.
    for (let i = 0; i < 300 && !output.includes('Accepting mail by SMTP'); i++)
      await new Promise((r) => setTimeout(r, 100))
  }, 60_000)

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('8 × 200 MiB leave RSS within 64 MiB of the start, each answered 552, /healthz answering throughout', async () => {
    expect((await fetch(`${httpUrl}/healthz`)).status, output).toBe(200)
    // Warm up the path a real message takes, so the baseline includes the code it loads.
    const warm = await RawSmtp.open(smtpPort)
    expect(warm.greeting?.code, output).toBe(220)
    expect((await warm.smtp.begin('warm@client.test', 'support@example.com'))?.code).toBe(354)
    expect((await warm.smtp.sendBody(64 * 1024, 'warm-up'))?.code).toBe(250)
    await warm.smtp.command('QUIT')
    warm.smtp.close()
    await new Promise((r) => setTimeout(r, 1000))

    const pid = child.pid!
    const baseline = rssOf(pid)
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50)
    const health: { ok: boolean; status: number | string }[] = []
    let flooding = true
    const prober = (async () => {
      while (flooding) {
        const status = await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
          (r) => r.status,
          (e: Error) => e.name,
        )
        health.push({ ok: status === 200, status })
        await new Promise((r) => setTimeout(r, 200))
      }
    })()

    try {
      const replies = await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, i) => {
          const { smtp, greeting } = await RawSmtp.open(smtpPort)
          expect(greeting?.code).toBe(220)
          expect((await smtp.begin(`flood${i}@client.test`, 'support@example.com'))?.code).toBe(354)
          const reply = await smtp.sendBody(MESSAGE_BYTES, `flood ${i}`)
          smtp.close()
          return reply?.code
        }),
      )
      expect(replies).toEqual(Array(CONNECTIONS).fill(552))
    } finally {
      flooding = false
      await prober
      clearInterval(sampler)
    }
    peak = Math.max(peak, rssOf(pid))
    console.log(
      `smtp flood: RSS ${(baseline / MiB).toFixed(0)} MiB before, peak ${(peak / MiB).toFixed(0)} MiB, ` +
        `${health.length} health checks`,
    )
    expect(peak - baseline).toBeLessThan(64 * MiB)
    expect(health.length).toBeGreaterThan(0)
    expect(health.filter((h) => !h.ok)).toEqual([])
    // Nothing of the flood was stored.
    expect((await fetch(`${httpUrl}/healthz`)).status).toBe(200)
  }, 600_000)
})
