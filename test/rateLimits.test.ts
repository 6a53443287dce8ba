// API rate limits (issue 18): per personal access token, per API key, per client IP for calls without
// credentials; 429 with Retry-After and the RateLimit headers on every limited answer; on PostgreSQL one
// allowance across two app instances sharing the database. A fixed clock places every request in its window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { Client, type Response } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, scratchDatabaseUrl, startServer, type TestServer } from './support/testServer.ts'

const env = {
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_PER_TOKEN: '5',
  RATE_LIMIT_PER_API_KEY: '3',
  RATE_LIMIT_PER_IP: '4',
}
const headers = (r: Response) => [
  r.headers.get('ratelimit-limit'),
  r.headers.get('ratelimit-remaining'),
  r.headers.get('ratelimit-reset'),
]

async function makeToken(base: string): Promise<string> {
  const john = await new Client(base).as('john@example.com')
  const res = await john.post('/api/v1/auth/tokens', {
    currentPassword: 'demo-password',
    name: 'limits',
    scopes: ['read'],
  })
  expect(res.status).toBe(201)
  return res.body.token as string
}

describe.each(DATABASES)('API rate limits on %s', (kind) => {
  let t: TestServer
  // 10:00:15 — 45 s before the window ends.
  const clock = new FixedClock(Date.parse('2026-12-03T10:00:15Z'))
  beforeAll(async () => {
    t = await startServer(kind, { clock, env })
  })
  afterAll(() => t?.close())

  it('limits a personal access token and says where it stands on every answer', async () => {
    clock.set('2026-12-03T10:00:15Z')
    const token = new Client(t.url, await makeToken(t.url))
    const seen = []
    for (let i = 0; i < 5; i++) {
      const r = await token.get('/api/v1/tickets')
      expect(r.status).toBe(200)
      seen.push(headers(r))
    }
    expect(seen).toEqual([4, 3, 2, 1, 0].map((n) => ['5', String(n), '45']))
    const refused = await token.get('/api/v1/tickets')
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited'])
    expect(refused.headers.get('retry-after')).toBe('45')
    expect(headers(refused)).toEqual(['5', '0', '45'])
    // A request refused for its scope spends the allowance too (and is refused for the limit first).
    expect((await token.post('/api/v1/tickets', { subject: 'x', message: 'y' })).status).toBe(429)
    // Another token has its own allowance; a signed-in session is not limited.
    const other = new Client(t.url, await makeToken(t.url))
    expect(headers(await other.get('/api/v1/tickets'))).toEqual(['5', '4', '45'])
    const session = await new Client(t.url).as('alex@example.com')
    const bySession = await session.get('/api/v1/tickets')
    expect([bySession.status, bySession.headers.get('ratelimit-limit')]).toEqual([200, null])
    // The next window starts afresh.
    clock.set('2026-12-03T10:01:00Z')
    const next = await token.get('/api/v1/tickets')
    expect([next.status, ...headers(next)]).toEqual([200, '5', '4', '60'])
  })

  it('limits calls without credentials per address', async () => {
    clock.set('2026-12-03T11:00:50Z')
    const anon = new Client(t.url)
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await anon.get('/api/v1/topics')).status)
    expect(statuses).toEqual([200, 200, 200, 200, 429])
    const refused = await anon.get('/api/v1/custom-fields')
    expect([refused.status, refused.headers.get('retry-after'), ...headers(refused)]).toEqual([
      429,
      '10',
      '4',
      '0',
      '10',
    ])
    // The web app's own pages and assets are not API calls and are not counted.
    expect((await fetch(`${t.url}/`)).headers.get('ratelimit-limit')).toBeNull()
    clock.set('2026-12-03T11:01:00Z')
  })

  it('limits an API key on the osTicket API', async () => {
    clock.set('2026-12-03T12:00:30Z')
    const admin = await new Client(t.url).as('admin@example.com')
    const { key } = (
      await admin.post('/api/v1/admin/api-keys', { name: 'limits', scopes: ['tickets:create'] })
    ).body
    const create = (i: number) =>
      new Client(t.url).post(
        '/api/tickets.json',
        JSON.stringify({ name: 'Olga', email: 'olga@example.net', subject: `Limit ${i}`, message: 'x' }),
        { 'content-type': 'application/json', 'x-api-key': key },
      )
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await create(i))
    expect(answers.map((a) => [a.status, ...headers(a)])).toEqual([
      [201, '3', '2', '30'],
      [201, '3', '1', '30'],
      [201, '3', '0', '30'],
      [429, '3', '0', '30'],
    ])
    expect(answers[3]!.headers.get('retry-after')).toBe('30')
    expect(String(answers[3]!.body)).toContain('Rate limit of 3 requests per 60 s')
  })
})

describe.each(DATABASES)('API key scopes on %s', (kind) => {
  let t: TestServer
  let admin: Client
  const clock = new FixedClock(Date.parse('2026-12-03T14:00:00Z'))
  beforeAll(async () => {
    t = await startServer(kind, { clock, env: { ...env, RATE_LIMIT_PER_API_KEY: '100' } })
    admin = await new Client(t.url).as('admin@example.com')
  })
  afterAll(() => t?.close())
  const keyWith = async (...scopes: string[]) => {
    const res = await admin.post('/api/v1/admin/api-keys', { name: scopes.join(' '), scopes })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return new Client(t.url, res.body.key as string)
  }
  const refusal = (r: Response) => [r.status, r.body?.error?.code]

  it('lets a key call the routes its scopes name, as the admin who made it, and nothing else', async () => {
    const reader = await keyWith('tickets:read')
    const list = await reader.get('/api/v1/tickets')
    expect(list.status).toBe(200)
    expect(headers(list)).toEqual(['100', '99', '60'])
    expect(refusal(await reader.post('/api/v1/tickets', { subject: 'x', message: 'y' }))).toEqual([
      403,
      'insufficient_scope',
    ])
    // Not sign-in, tokens or anything else, public routes included.
    expect(refusal(await reader.get('/api/v1/auth/me'))).toEqual([403, 'insufficient_scope'])

    const writer = await keyWith('tickets:write')
    expect(refusal(await writer.get('/api/v1/tickets'))).toEqual([403, 'insufficient_scope'])
    // Past the scope check, the command decides as for the admin who made the key: the demo admin is in no
    // department, so opening a ticket there is refused by the command, not by the scope.
    const made = await writer.post('/api/v1/tickets', {
      subject: 'From an integration',
      message: 'Opened by a key',
      requester: { name: 'Ivy Integration', email: 'ivy@example.net' },
    })
    expect([made.status, made.body.error.code, made.body.error.message]).toEqual([
      403,
      'forbidden',
      'You may not open tickets in Support.',
    ])

    const people = await keyWith('users:read')
    expect((await people.get('/api/v1/admin/customers')).status).toBe(200)
    expect((await people.get('/api/v1/agents')).status).toBe(200)
    expect(refusal(await people.get('/api/v1/tickets'))).toEqual([403, 'insufficient_scope'])
    expect(
      refusal(await people.post('/api/v1/admin/customers', { name: 'N', email: 'n@example.net' })),
    ).toEqual([403, 'insufficient_scope'])

    expect(refusal(await new Client(t.url, `sbk_${'x'.repeat(43)}`).get('/api/v1/tickets'))).toEqual([
      401,
      'invalid_api_key',
    ])
  })

  it('names every scope in the OpenAPI document', async () => {
    const doc = JSON.stringify(await (await fetch(`${t.url}/api/v1/openapi.json`)).json())
    for (const scope of ['tickets:create', 'tickets:read', 'tickets:write', 'users:read', 'users:write'])
      expect(doc).toContain(scope)
  })
})

describe.runIf(DATABASES.includes('postgres'))(
  'API rate limits across two app instances on PostgreSQL',
  () => {
    let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>
    let a: TestServer
    let b: TestServer
    const clock = new FixedClock(Date.parse('2026-12-03T13:00:20Z'))
    beforeAll(async () => {
      scratch = await scratchDatabaseUrl('postgres')
      const db = openDatabase(scratch.url)
      await migrateToLatest(db)
      await seedDemo(db.writer, Date.now())
      await db.close()
      a = await startServer('postgres', { clock, env, databaseUrl: scratch.url })
      b = await startServer('postgres', { clock, env, databaseUrl: scratch.url })
    })
    afterAll(async () => {
      await a?.close()
      await b?.close()
      await scratch?.drop()
    })

    it('counts one token against one allowance, whichever instance answers', async () => {
      const token = await makeToken(a.url)
      const onA = new Client(a.url, token)
      const onB = new Client(b.url, token)
      const answers = []
      for (const c of [onA, onB, onA, onB, onA, onB, onA]) answers.push(await c.get('/api/v1/tickets'))
      expect(answers.map((r) => [r.status, r.headers.get('ratelimit-remaining')])).toEqual([
        [200, '4'],
        [200, '3'],
        [200, '2'],
        [200, '1'],
        [200, '0'],
        [429, '0'],
        [429, '0'],
      ])
      expect(answers[5]!.headers.get('retry-after')).toBe('40')
      // Both instances answered from the same rows.
      expect(a.app.db.dialect).toBe('postgres')
      const rows = await a.app.db.read.selectFrom('rate_limit_windows').selectAll().execute()
      expect(rows.filter((r) => r.key.startsWith('pat:')).map((r) => r.hits)).toEqual([7])
    })
  },
)
