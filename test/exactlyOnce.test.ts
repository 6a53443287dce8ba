// Three processes on one PostgreSQL database, each running the whole desk (HTTP and the worker: outbox
// drainer, sweeps), as an operator who scales out by starting the same unit three times (issue 15). They
// race for the same outbox rows and the same due tickets every few milliseconds, so anything claimed without
// a lock shows up twice: each email reaches the SMTP sink once, each sweep fires once per ticket, and each
// live event reaches the subscribers of every process once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { parseClock } from '../src/domain/slaClock.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { startChildServer, type ChildServer } from './support/childServer.ts'
import { Client } from './support/client.ts'
import { MailSink, until } from './support/mailSink.ts'
import { SseReader } from './support/sse.ts'
import { DATABASES, scratchDatabaseUrl } from './support/testServer.ts'

describe.runIf(DATABASES.includes('postgres'))('three worker processes on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>
  let db: Database
  let sink: MailSink
  let servers: ChildServer[] = []
  beforeAll(async () => {
    scratch = await scratchDatabaseUrl('postgres')
    db = openDatabase(scratch.url)
    await migrateToLatest(db)
    await seedDemo(db.writer, Date.now())
    sink = await new MailSink().start()
    const env = {
      DATABASE_URL: scratch.url,
      SWITCHBOARD_DEMO: 'off',
      SMTP_URL: sink.url,
      MAIL_FROM: 'support@example.com',
      MAIL_SENDER_HOURLY_LIMIT: '1000000',
      // Every process sweeps every 50 ms, so the three collide on each due ticket.
      SWEEP_INTERVAL_MS: '50',
    }
    servers = await Promise.all([0, 1, 2].map(() => startChildServer({ env, args: ['serve'] })))
  }, 120_000)
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await sink?.close()
    await db?.close()
    await scratch?.drop()
  })

  const outboxEmpty = () =>
    until(async () => {
      const left = await db.read.selectFrom('outbox').select('id').where('dead_at', 'is', null).execute()
      return left.length === 0 ? true : undefined
    })

  const eventsOf = async (number: string, type: string) =>
    (
      await db.read
        .selectFrom('events as e')
        .innerJoin('tickets as t', 't.id', 'e.ticket_id')
        .select('e.type')
        .where('t.number', '=', number)
        .where('e.type', '=', type)
        .execute()
    ).length

  it('sends each email once while three drainers claim the same outbox', async () => {
    const customers = await Promise.all(
      ['ken@example.com', 'lena@example.com', 'ken@example.com'].map((email, k) =>
        new Client(servers[k]!.url).as(email),
      ),
    )
    const numbers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const res = await customers[i % 3]!.post('/api/v1/tickets', {
          subject: `Once ${i}`,
          message: 'Three workers race for this mail.',
        })
        expect(res.status).toBe(201)
        return res.body.ticket.number as string
      }),
    )
    await outboxEmpty()
    const ids = sink.messages.map((m) => m.parsed.messageId)
    expect(ids.length).toBeGreaterThan(numbers.length)
    expect(new Set(ids).size, 'a Message-ID arrived twice').toBe(ids.length)
    for (const [i, n] of numbers.entries()) {
      const mails = sink.messages.filter((m) => (m.parsed.subject ?? '').includes(`[#${n}]`))
      const requester = i % 3 === 1 ? 'lena@example.com' : 'ken@example.com'
      expect(mails.filter((m) => m.to.includes(requester)).length, `auto-response of ${n}`).toBe(1)
      // Support's agents (John, Alex) each hear of the new ticket once.
      for (const agent of ['john@example.com', 'alex@example.com'])
        expect(mails.filter((m) => m.to.includes(agent)).length, `${agent} on ${n}`).toBe(1)
    }
  }, 120_000)

  it('runs each sweep once per due ticket: snoozes end once, breaches fire once', async () => {
    const john = await new Client(servers[0]!.url).as('john@example.com')
    const ken = await new Client(servers[1]!.url).as('ken@example.com')
    const make = (subject: string) =>
      ken
        .post('/api/v1/tickets', { subject, message: 'Due soon.' })
        .then((r) => r.body.ticket as { number: string; version: number })
    const snoozed = await Promise.all(Array.from({ length: 10 }, (_, i) => make(`Snooze ${i}`)))
    for (const t of snoozed) {
      const pending = await john.patch(`/api/v1/tickets/${t.number}`, {
        version: t.version,
        status: 'pending',
      })
      expect(pending.status).toBe(200)
      const res = await john.request('PUT', `/api/v1/tickets/${t.number}/snooze`, {
        version: pending.body.ticket.version,
        until: new Date(Date.now() + 2000).toISOString(),
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
    }
    // Breached tickets: their SLA clocks moved back until every target is an hour overdue, as if opened long
    // ago and never answered.
    const late = await Promise.all(Array.from({ length: 10 }, (_, i) => make(`Late ${i}`)))
    await db.transact(async (trx) => {
      for (const t of late) {
        const row = await trx
          .selectFrom('tickets')
          .select(['id', 'sla_clock'])
          .where('number', '=', t.number)
          .executeTakeFirstOrThrow()
        const clock = parseClock(row.sla_clock)!
        const targets = Object.values(clock.targets)
        expect(targets.every((target) => target.metAt === null)).toBe(true)
        const back = Math.max(...targets.map((target) => target.dueAt)) - Date.now() + 3_600_000
        for (const target of targets) {
          target.startAt -= back
          target.dueAt -= back
          target.riskAt -= back
        }
        await trx
          .updateTable('tickets')
          .set({ sla_clock: JSON.stringify(clock), sla_alert_at: Date.now() - 3_600_000 })
          .where('id', '=', row.id)
          .execute()
      }
    })

    for (const t of snoozed)
      await until(async () => {
        return (await eventsOf(t.number, 'ticket.unsnoozed')) > 0 ? true : undefined
      })
    for (const t of late)
      await until(async () => ((await eventsOf(t.number, 'sla.breached')) > 0 ? true : undefined))
    // A second process that claimed the same ticket without a lock would commit its copy right after the
    // first: let the sweeps (every 50 ms in each process) run a few more rounds before counting.
    await new Promise((r) => setTimeout(r, 500))
    for (const t of snoozed) {
      expect(await eventsOf(t.number, 'ticket.unsnoozed'), `unsnoozed ${t.number}`).toBe(1)
      expect((await john.get(`/api/v1/tickets/${t.number}`)).body.ticket.status).toBe('open')
    }
    for (const t of late) {
      const targets = Object.keys(
        parseClock(
          (
            await db.read
              .selectFrom('tickets')
              .select('sla_clock')
              .where('number', '=', t.number)
              .executeTakeFirstOrThrow()
          ).sla_clock,
        )!.targets,
      )
      expect(targets.length).toBeGreaterThan(0)
      expect(await eventsOf(t.number, 'sla.breached'), `breaches of ${t.number}`).toBe(targets.length)
    }
  }, 120_000)

  // Once each, but not always in order: the rows of one ticket may be claimed by different drainers. Every
  // message names its events (eventIds), and the web app refetches what it shows, so order does not matter.
  it('delivers each live event once to the subscribers of every process', async () => {
    const john = await new Client(servers[0]!.url).as('john@example.com')
    const streams = servers.map((s) => new SseReader(`${s.url}/api/v1/events`, john.token!))
    try {
      await Promise.all(streams.map((s) => s.ready))
      const ken = await new Client(servers[2]!.url).as('ken@example.com')
      const numbers: string[] = []
      for (let i = 0; i < 5; i++) {
        const { number } = (await ken.post('/api/v1/tickets', { subject: `Live ${i}`, message: 'Hello.' }))
          .body.ticket
        await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'One more thing.' })
        numbers.push(number)
      }
      for (const s of streams)
        for (const n of numbers)
          for (const type of ['ticket.created', 'message.added'])
            await s.waitFor((e) => e.event === 'ticket' && e.data.ticketNumber === n && e.data.type === type)
      for (const [k, s] of streams.entries())
        for (const n of numbers)
          expect(
            s
              .ticketEvents()
              .filter((e) => e.ticketNumber === n)
              .map((e) => e.type)
              .sort(),
            `process ${k}, ticket ${n}`,
          ).toEqual(['message.added', 'ticket.created'])
    } finally {
      for (const s of streams) s.close()
    }
  }, 120_000)
})
