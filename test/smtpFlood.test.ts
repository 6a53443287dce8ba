// The SMTP flood of issue 9 (finding 2), as written there: 8 connections each send a 200 MiB message to the
// listener of a real `switchboard start` process, every limit at its default. The server's RSS (read from
// /proc/<pid>/status) must stay within 64 MiB of where it started, every message is answered 552, and
// /healthz answers throughout. Before the fix each connection buffered its whole message before answering
// 552 (400 MiB sent took the server from 312 to 569 MiB). In a file of its own, so it runs beside the rest of
// the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChildServer, type ChildServer } from './support/childServer.ts'
import { RawSmtp } from './support/smtpClient.ts'

const MiB = 1024 * 1024
const CONNECTIONS = 8
const MESSAGE_BYTES = 200 * MiB

describe.skipIf(process.platform !== 'linux')('SMTP flood against a running server', () => {
  let server: ChildServer

  beforeAll(async () => {
    server = await startChildServer({ smtp: true })
  }, 90_000)
  afterAll(() => server?.stop())

  it('8 × 200 MiB leave RSS within 64 MiB of the start, each answered 552, /healthz answering throughout', async () => {
    const smtpPort = server.smtpPort!
    expect((await fetch(`${server.url}/healthz`)).status, server.output()).toBe(200)
    // Warm up with ordinary mail, a small message and one that is spooled, so that the baseline includes the
    // code and buffers a running listener has.
    const warm = await RawSmtp.open(smtpPort)
    expect(warm.greeting?.code, server.output()).toBe(220)
    for (const size of [64 * 1024, 4 * MiB]) {
      expect((await warm.smtp.begin('warm@client.test', 'support@example.com'))?.code).toBe(354)
      expect((await warm.smtp.sendBody(size, 'warm-up'))?.code).toBe(250)
    }
    await warm.smtp.command('QUIT')
    warm.smtp.close()
    await new Promise((r) => setTimeout(r, 1000))

    const baseline = server.rss()
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 50)
    const health: { ok: boolean; status: number | string }[] = []
    let flooding = true
    const prober = (async () => {
      while (flooding) {
        const status = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
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
    peak = Math.max(peak, server.rss())
    console.log(
      `smtp flood: RSS ${(baseline / MiB).toFixed(0)} MiB before, peak ${(peak / MiB).toFixed(0)} MiB, ` +
        `${health.length} health checks`,
    )
    expect(peak - baseline).toBeLessThan(64 * MiB)
    expect(health.length).toBeGreaterThan(0)
    expect(health.filter((h) => !h.ok)).toEqual([])
  }, 600_000)
})
