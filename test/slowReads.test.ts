// A slow read never holds up the others (issue 15): queue lists, searches and counts run as heavy reads, off
// the event loop on SQLite (reader worker threads) and on their own connections on PostgreSQL, and a read that
// passes the time limit is stopped and answered 503 `query_timeout` with Retry-After.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databaseUnavailable } from '../src/db/availability.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('slow reads on %s', (kind) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer(kind, { queryTimeoutMs: 2000 })
  })
  afterAll(() => t.close())

  // Runs past the limit: counting to 100 million (SQLite, several seconds; its thread is terminated but
  // SQLite cannot be interrupted, so the count is kept short enough to end soon after), or sleeping (PostgreSQL).
  const runaway = () =>
    kind === 'sqlite'
      ? sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < 100000000)
            select count(*) as n from c`.execute(t.app.db.heavyRead)
      : sql`select pg_sleep(60)`.execute(t.app.db.heavyRead)

  it('answers /healthz and a ticket view while a runaway read runs, then stops the read', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const { number } = (await ken.post('/api/v1/tickets', { subject: 'Printer', message: 'It jams.' })).body
      .ticket
    let settled = false
    const slow = runaway().finally(() => (settled = true))
    slow.catch(() => {})
    // Were the read on the event loop, neither request could be answered before it ended.
    expect((await new Client(t.url).get('/healthz')).status).toBe(200)
    expect((await ken.get(`/api/v1/tickets/${number}`)).status).toBe(200)
    expect(settled).toBe(false)
    const error = await slow.then(
      () => undefined,
      (e: unknown) => e,
    )
    const answer = databaseUnavailable(error)
    expect([answer?.status, answer?.code, answer?.headers?.['retry-after']]).toEqual([
      503,
      'query_timeout',
      '2',
    ])
    // The next heavy read is served (the runaway's worker or connection was replaced or freed).
    const page = await ken.get('/api/v1/tickets')
    expect([page.status, page.body.items.map((i: { number: string }) => i.number)]).toEqual([200, [number]])
  })
})

describe.runIf(DATABASES.includes('sqlite'))('a search past its time limit', () => {
  let t: TestServer
  beforeAll(async () => {
    // One millisecond: the reader pool's first read alone (starting its worker) takes longer.
    t = await startServer('sqlite', { queryTimeoutMs: 1 })
  })
  afterAll(() => t.close())

  it('answers 503 query_timeout with Retry-After, and the desk keeps answering', async () => {
    const john = await new Client(t.url).as('john@example.com')
    const res = await john.get('/api/v1/tickets?q=printer')
    expect([res.status, res.body.error.code, res.headers.get('retry-after')]).toEqual([
      503,
      'query_timeout',
      '2',
    ])
    expect(res.body.error.message).toMatch(/took too long/)
    expect((await new Client(t.url).get('/healthz')).status).toBe(200)
  })
})
