// Several processes on one PostgreSQL database, as a production desk scales out: two web processes and a worker
// (issue 15). What one web process learns (presence, failed sign-ins) the other knows, jobs run once (only
// the worker drains the outbox), and every live event reaches the subscribers of both web processes, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { startChildServer, type ChildServer } from './support/childServer.ts'
import { Client } from './support/client.ts'
import { SseReader } from './support/sse.ts'
import { DATABASES, scratchDatabaseUrl } from './support/testServer.ts'

describe.runIf(DATABASES.includes('postgres'))('two web processes and a worker on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>
  let a: ChildServer
  let b: ChildServer
  let worker: ChildServer
  beforeAll(async () => {
    scratch = await scratchDatabaseUrl('postgres')
    const db = openDatabase(scratch.url)
    await migrateToLatest(db)
    await seedDemo(db.writer, Date.now())
    await db.close()
    const env = { DATABASE_URL: scratch.url, SWITCHBOARD_DEMO: 'off' }
    ;[a, b, worker] = await Promise.all([
      startChildServer({ env, args: ['serve', '--role', 'web'] }),
      startChildServer({ env, args: ['serve', '--role', 'web'] }),
      startChildServer({ env, args: ['serve', '--role', 'worker'] }),
    ])
  }, 120_000)
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), worker?.stop()])
    await scratch?.drop()
  })

  it('shows a colleague viewing a ticket through the other process', async () => {
    const ken = await new Client(a.url).as('ken@example.com')
    const { number } = (await ken.post('/api/v1/tickets', { subject: 'Printer', message: 'It jams.' })).body
      .ticket
    const johnOnA = await new Client(a.url).as('john@example.com')
    const alexOnB = await new Client(b.url).as('alex@example.com')
    const johnStreamOnB = new SseReader(`${b.url}/api/v1/events`, johnOnA.token!)
    try {
      await johnStreamOnB.ready
      expect((await johnOnA.post(`/api/v1/tickets/${number}/presence`, { state: 'viewing' })).status).toBe(
        200,
      )
      // The stream John has open on the other process hears of his own report.
      await johnStreamOnB.waitFor(
        (e) => e.event === 'presence' && e.data.ticketNumber === number && e.data.viewers.length === 1,
      )
      const both = await alexOnB.post(`/api/v1/tickets/${number}/presence`, { state: 'typing' })
      expect(both.body.viewers.map((v: { name: string; state: string }) => [v.name, v.state])).toEqual([
        ['Alex Kim', 'typing'],
        ['John Doe', 'viewing'],
      ])
    } finally {
      johnStreamOnB.close()
    }
  })

  it('counts failed sign-ins from both processes against one allowance', async () => {
    const wrong = (server: ChildServer) =>
      new Client(server.url).post('/api/v1/auth/login', { email: 'lena@example.com', password: 'wrong' })
    const statuses = []
    for (const server of [a, b, a, b, a]) statuses.push((await wrong(server)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    // Five failures from this address: the sixth try is refused by either process, the right password too.
    for (const server of [b, a]) {
      const refused = await new Client(server.url).post('/api/v1/auth/login', {
        email: 'lena@example.com',
        password: 'demo-password',
      })
      expect([refused.status, refused.body.error.code]).toEqual([429, 'too_many_attempts'])
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    }
  })

  it('delivers each live event once to the subscribers of every web process', async () => {
    const john = await new Client(a.url).as('john@example.com')
    const streams = [
      new SseReader(`${a.url}/api/v1/events`, john.token!),
      new SseReader(`${b.url}/api/v1/events`, john.token!),
    ]
    try {
      await Promise.all(streams.map((s) => s.ready))
      const ken = await new Client(b.url).as('ken@example.com')
      const { number } = (await ken.post('/api/v1/tickets', { subject: 'Badge', message: 'Lost it.' })).body
        .ticket
      await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Found it, never mind.' })
      const last = (e: { event: string; data: { ticketNumber?: string; type?: string } }) =>
        e.event === 'ticket' && e.data.ticketNumber === number && e.data.type === 'message.added'
      for (const s of streams) await s.waitFor(last)
      for (const s of streams) {
        expect(
          s
            .ticketEvents()
            .filter((e) => e.ticketNumber === number)
            .map((e) => e.type),
        ).toEqual(['ticket.created', 'message.added'])
      }
    } finally {
      for (const s of streams) s.close()
    }
  })
})
