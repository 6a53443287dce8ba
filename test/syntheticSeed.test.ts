// `switchboard seed --synthetic`: the tickets it writes straight into the tables must be ones the real app
// serves (lists, search, the ticket view, agent scope), spread as intended, and it must not touch a database
// that holds real tickets unless told to.
import { spawnSync } from 'node:child_process'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSynthetic, type SyntheticSummary } from '../src/seed/synthetic.ts'
import { ticketNumberFor } from '../src/domain/tickets.ts'
import { rankOf, VOCABULARY } from '../src/seed/syntheticText.ts'
import { Client } from './support/client.ts'
import { DATABASES, scratchDatabaseUrl, startServer, type TestServer } from './support/testServer.ts'

const TICKETS = 2000

describe.each(DATABASES)('seed --synthetic on %s', (kind) => {
  let t: TestServer
  let summary: SyntheticSummary
  let john: Client
  beforeAll(async () => {
    t = await startServer(kind)
    summary = await seedSynthetic(t.app.db, { tickets: TICKETS, seed: 7 })
    john = await new Client(t.url).as('john@example.com')
  }, 120_000)
  afterAll(() => t.close())

  const db = () => t.app.db.read
  const share = async (where: ReturnType<typeof sql<boolean>>) => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from tickets where ${where}`.execute(db())
    return Number(rows[0]!.n) / TICKETS
  }

  it('writes N tickets with threads of 1 to 8 entries, numbered id + 100000, and the customers asked for', async () => {
    expect(summary.tickets).toBe(TICKETS)
    const { rows } = await sql<{
      bad: number
      shortest: number
      longest: number
    }>`select sum(case when t.number = cast(t.id + 100000 as text) then 0 else 1 end) as bad,
         min(c.n) as shortest, max(c.n) as longest
       from tickets t join (select ticket_id, count(*) as n from thread_entries group by ticket_id) c
         on c.ticket_id = t.id`.execute(db())
    expect(Number(rows[0]!.bad)).toBe(0)
    expect(Number(rows[0]!.shortest)).toBe(1)
    expect(Number(rows[0]!.longest)).toBe(8)
    const customers = await sql<{
      n: number
    }>`select count(*) as n from users where type = 'customer' and email not like '%@example.com'`.execute(
      db(),
    )
    expect(Number(customers.rows[0]!.n)).toBe(TICKETS / 10)
    // Each ticket's last activity is its last entry or status change, never before it was created.
    expect(await share(sql<boolean>`last_activity_at < created_at or version < 1`)).toBe(0)
  })

  it('spreads statuses, priorities, SLA states and departments roughly as a real desk does', async () => {
    const finished = await share(sql<boolean>`status in ('resolved', 'closed')`)
    expect(finished).toBeGreaterThan(0.6)
    expect(finished).toBeLessThan(0.95)
    for (const status of ['open', 'pending', 'on_hold'])
      expect(await share(sql<boolean>`status = ${status}`)).toBeGreaterThan(0.005)
    // Resolved longer than auto_close_days (7) ago would be closed by the worker's sweep on first start.
    expect(
      await share(sql<boolean>`status = 'resolved' and closed_at <= ${Date.now() - 7 * 86_400_000}`),
    ).toBe(0)
    expect(await share(sql<boolean>`status = 'resolved'`)).toBeGreaterThan(0)
    const emergency = await share(sql<boolean>`priority = 'emergency'`)
    expect(emergency).toBeGreaterThan(0.003)
    expect(emergency).toBeLessThan(0.05)
    expect(await share(sql<boolean>`priority = 'normal'`)).toBeGreaterThan(0.45)
    for (const state of ['ok', 'breached', 'paused'])
      expect(await share(sql<boolean>`sla_state = ${state}`), state).toBeGreaterThan(0.005)
    // Paused exactly when waiting; a breached running ticket has a due time in the past.
    expect(await share(sql<boolean>`(sla_state = 'paused') <> (status in ('pending', 'on_hold'))`)).toBe(0)
    expect(
      await share(sql<boolean>`status = 'open' and sla_state = 'breached'
        and not (coalesce(sla_resolution_due_at, 0) < ${Date.now()} or coalesce(sla_first_response_due_at, 0) < ${Date.now()}
                 or coalesce(sla_next_response_due_at, 0) < ${Date.now()})`),
    ).toBe(0)
    const { rows } = await sql<{
      n: number
    }>`select count(distinct department_id) as n from tickets`.execute(db())
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(7)
    const oldest = await share(sql<boolean>`created_at < ${Date.now() - 600 * 86_400_000}`)
    expect(oldest).toBeGreaterThan(0)
  })

  it('is served by the real API: the queue, the ticket view with its thread and events', async () => {
    const open = await john.get('/api/v1/tickets?view=open')
    expect(open.status).toBe(200)
    expect(open.body.items.length).toBe(50)
    expect(open.body.nextCursor).not.toBeNull()
    const next = await john.get(`/api/v1/tickets?view=open&cursor=${open.body.nextCursor}`)
    expect(next.status).toBe(200)
    expect(next.body.items[0].number).not.toBe(open.body.items[0].number)

    const number = open.body.items[0].number as string
    const view = await john.get(`/api/v1/tickets/${number}`)
    expect(view.status).toBe(200)
    expect(view.body.thread.length).toBeGreaterThanOrEqual(1)
    expect(view.body.thread[0].kind).toBe('message')
    expect(view.body.events.map((e: { type: string }) => e.type)).toContain('ticket.created')

    const queues = await john.get('/api/v1/queues')
    expect(queues.status).toBe(200)
  })

  it('keeps agent scope: John (Support) sees only what the policy lets him see', async () => {
    const support = await db()
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Support')
      .executeTakeFirstOrThrow()
    const johnId = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'john@example.com')
        .executeTakeFirstOrThrow()
    ).id
    const teams = (
      await db().selectFrom('team_members').select('team_id').where('agent_id', '=', johnId).execute()
    ).map((r) => r.team_id)
    const followed = (
      await db().selectFrom('ticket_followers').select('ticket_id').where('agent_id', '=', johnId).execute()
    ).map((r) => ticketNumberFor(r.ticket_id))
    let cursor: string | null = null
    let seen = 0
    do {
      const page: any = await john.get(
        `/api/v1/tickets?view=all&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      )
      for (const item of page.body.items)
        expect(
          item.departmentId === support.id ||
            item.assigneeAgentId === johnId ||
            teams.includes(item.assigneeTeamId) ||
            followed.includes(item.number),
        ).toBe(true)
      seen += page.body.items.length
      cursor = page.body.nextCursor
    } while (cursor)
    expect(seen).toBeGreaterThan(TICKETS * 0.3)
    expect(seen).toBeLessThan(TICKETS * 0.8)
    const billing = await db()
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Billing')
      .executeTakeFirstOrThrow()
    const elsewhere = await db()
      .selectFrom('tickets')
      .select('number')
      .where('department_id', '=', billing.id)
      .where((eb) => eb.or([eb('assignee_agent_id', 'is', null), eb('assignee_agent_id', '<>', johnId)]))
      .where('assignee_team_id', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('ticket_followers')
              .select('agent_id')
              .whereRef('ticket_followers.ticket_id', '=', 'tickets.id'),
          ),
        ),
      )
      .executeTakeFirstOrThrow()
    expect((await john.get(`/api/v1/tickets/${elsewhere.number}`)).status).toBe(404)
    // Sam works in Billing and opens it.
    const sam = await new Client(t.url).as('sam@example.com')
    expect((await sam.get(`/api/v1/tickets/${elsewhere.number}`)).status).toBe(200)
  })

  it('searches: a common word finds many tickets, a rare word few', async () => {
    const common = await john.get(`/api/v1/tickets?q=${VOCABULARY[0]}&limit=100`)
    expect(common.status).toBe(200)
    expect(common.body.items.length).toBe(100)
    expect(common.body.nextCursor).not.toBeNull()

    // A word from the vocabulary's long tail that some entry holds: it must find that ticket and few others.
    const { rows } = await sql<{ body: string; number: string }>`select e.body, t.number from thread_entries e
      join tickets t on t.id = e.ticket_id join departments d on d.id = t.department_id
      where e.kind <> 'note' and d.name = 'Support' order by e.id limit 400`.execute(db())
    const rare = rows
      .flatMap((r) => r.body.split(/[^a-z]+/).map((w) => ({ w, number: r.number })))
      .filter(({ w }) => rankOf(w) > 10_000 && rankOf(w) !== Infinity)[0]!
    expect(rare).toBeDefined()
    const found = await john.get(`/api/v1/tickets?q=${rare.w}&limit=100`)
    expect(found.status).toBe(200)
    expect(found.body.items.map((i: { number: string }) => i.number)).toContain(rare.number)
    expect(found.body.items.length).toBeLessThan(20)

    const subject = (await john.get(`/api/v1/tickets/${rare.number}`)).body.ticket.subject as string
    const word = subject.split(/[^A-Za-z]+/).find((w) => w.length > 3)!
    const bySubject = await john.get(`/api/v1/tickets?q=${word}&limit=100`)
    expect(bySubject.body.items.length).toBeGreaterThan(0)
  })

  it('refuses a database holding real tickets unless --force, and adds to its own without it', async () => {
    const scratch = await scratchDatabaseUrl(kind)
    try {
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ['bin/switchboard.js', 'seed', ...args], {
          env: { ...process.env, DATABASE_URL: scratch.url },
          encoding: 'utf8',
        })
      const first = cli('--synthetic', '30', '--seed', '3')
      expect(first.status, first.stderr).toBe(0)
      expect(first.stdout).toMatch(/Seeded 30 tickets .* tickets\/s/)
      // Its own tickets are no reason to refuse.
      const again = cli('--synthetic', '20')
      expect(again.status, again.stderr).toBe(0)
      expect(cli('--synthetic', 'many').status).toBe(64)
    } finally {
      await scratch.drop()
    }
    // t's database: one ticket made through the API makes it a real one.
    const ken = await new Client(t.url).as('ken@example.com')
    expect((await ken.post('/api/v1/tickets', { subject: 'Real', message: 'A real one' })).status).toBe(201)
    await expect(seedSynthetic(t.app.db, { tickets: 10 })).rejects.toThrow(/--force/)
    const forced = await seedSynthetic(t.app.db, { tickets: 10, force: true })
    expect(forced.tickets).toBe(10)
    const created = await ken.post('/api/v1/tickets', { subject: 'After', message: 'Ids moved on' })
    expect(created.status).toBe(201)
    expect(Number(created.body.ticket.number)).toBe(100_000 + TICKETS + 1 + 10 + 1)
  })
})
