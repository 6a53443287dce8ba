// Input and output: security headers on every response, body limits, strict schemas (unknown keys dropped,
// prototype keys harmless, types exact), LIKE wildcards literal, and no GET changes anything. On every database.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { buildServer } from '../src/server.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('hardening on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let ken: Client
  let john: Client
  let number: string
  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    number = (await ken.post('/api/v1/tickets', { subject: 'Hardening', message: 'Body.' })).body.ticket
      .number
  })
  afterAll(() => t.close())

  const concrete = (url: string) => url.replace(':number', number).replace(':id', '1').replace('*', 'x')

  it('sends the security headers on every response: pages, API, errors and documentation', async () => {
    const paths = [
      ...new Set(t.server.routeTable.filter((r) => r.method === 'GET').map((r) => concrete(r.url))),
    ]
    paths.push('/no/such/route', '/api/v1/tickets/999999')
    for (const path of paths) {
      const res = await fetch(t.url + path, { redirect: 'manual' })
      const csp = res.headers.get('content-security-policy') ?? ''
      expect([path, csp]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")])
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("object-src 'none'")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      // Plain HTTP here: HSTS would be meaningless, and is only sent behind TLS.
      expect(res.headers.get('strict-transport-security')).toBeNull()
      if (path.startsWith('/api/')) expect(res.headers.get('cache-control')).toBe('no-store')
    }
    // The documentation page's scripts are files of this origin, which the CSP allows.
    const docs = await (await fetch(`${t.url}/docs/static/index.html`)).text()
    expect(docs).not.toMatch(/<script>(?!\s*<\/script>)/)
    expect(docs).toMatch(/<script src="[^"]*swagger-ui-bundle\.js"/)
  })

  it('sends HSTS when served behind TLS (SECURE_COOKIES)', async () => {
    const app = await createApp({ ...loadConfig({}), secureCookies: true }, t.app.db)
    const server = await buildServer(app)
    const res = await server.inject({ method: 'GET', url: '/healthz' })
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/)
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests')
    await server.close()
  })

  it('refuses bodies over the limit with 413 and bad JSON with 400, never 5xx', async () => {
    const big = await ken.request(
      'POST',
      '/api/v1/tickets',
      JSON.stringify({ subject: 'x', message: 'y'.repeat(1_100_000) }),
    )
    expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large'])
    const broken = await ken.request('POST', '/api/v1/tickets', '{"subject": ')
    expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_json'])
    const notJson = await ken.request('POST', '/api/v1/tickets', 'subject=x', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(notJson.status).toBe(415)
  })

  it('drops unknown keys and makes __proto__ and constructor harmless', async () => {
    const res = await ken.request(
      'POST',
      '/api/v1/tickets',
      '{"subject":"Proto","message":"m","status":"closed","isAdmin":true,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
    )
    expect(res.status).toBe(201)
    expect(res.body.ticket.status).toBe('open')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const patched = await john.request(
      'PATCH',
      `/api/v1/tickets/${res.body.ticket.number}`,
      '{"version":1,"__proto__":{"priority":"emergency"},"priority":"low"}',
    )
    expect(patched.status).toBe(200)
    expect(patched.body.ticket.priority).toBe('low')
  })

  it('takes types exactly: arrays, objects and numbers where strings belong are 400, not a bypass', async () => {
    for (const body of [
      { email: ['john@example.com'], password: 'demo-password' },
      { email: 'john@example.com', password: ['demo-password'] },
      { email: { $ne: '' }, password: { $ne: '' } },
      { email: 'john@example.com', password: true },
      { email: 'john@example.com', password: 0 },
    ]) {
      const res = await anon.post('/api/v1/auth/login', body)
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400])
    }
    const numberAsArray = await john.get(`/api/v1/tickets/${number}?x=1`)
    expect(numberAsArray.status).toBe(200)
    const versionString = await john.patch(`/api/v1/tickets/${number}`, { version: '1', priority: 'high' })
    expect(versionString.status).toBe(400)
    const bigList = await john.get('/api/v1/tickets?limit=100000')
    expect(bigList.status).toBe(400)
  })

  it('matches LIKE wildcards literally in agent search', async () => {
    for (const q of ['%', '_', '\\', '%%', 'j%', '_o']) {
      const res = await john.get(`/api/v1/agents?q=${encodeURIComponent(q)}`)
      expect([q, res.status, res.body.items]).toEqual([q, 200, []])
    }
    expect((await john.get('/api/v1/agents?q=jo')).body.items.map((a: any) => a.name)).toEqual(['John Doe'])
  })

  it('changes nothing on any GET', async () => {
    const db = t.app.db.read
    const fingerprint = async () => {
      const tables = [
        'tickets',
        'thread_entries',
        'events',
        'notifications',
        'sessions',
        'outbox',
        'users',
        'settings',
        'ticket_followers',
        'access_tokens',
        'password_resets',
        'ticket_links',
      ] as const
      const counts: Record<string, unknown> = {}
      for (const table of tables) {
        counts[table] = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      }
      // A CSV export is a GET that records who exported what (issue 16): the one audit event a read writes.
      counts.events = await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('type', '!=', 'report.tickets_exported')
        .executeTakeFirstOrThrow()
      counts.versions = await db
        .selectFrom('tickets')
        .select(['number', 'version', 'updated_at', 'status'])
        .orderBy('id')
        .execute()
      counts.read = await db.selectFrom('notifications').select(['id', 'read_at']).orderBy('id').execute()
      return JSON.stringify(counts)
    }
    const admin = await anon.as('admin@example.com')
    // Outbox rows written before this test are delivered (and deleted) in the background; wait for that.
    await t.settle()
    const before = await fingerprint()
    for (const client of [anon, ken, john, admin]) {
      for (const route of t.server.routeTable.filter((r) => r.method === 'GET' || r.method === 'HEAD')) {
        const res = await client.request(route.method, concrete(route.url))
        expect(res.status).toBeLessThan(500)
      }
    }
    await t.settle()
    expect(await fingerprint()).toBe(before)
  })
})

describe.runIf(DATABASES.includes('postgres'))('PostgreSQL durability settings', () => {
  it('commits synchronously on every connection, even when the connection default says otherwise', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!)
    url.searchParams.set('options', '-c synchronous_commit=off')
    const db = openDatabase(url.toString())
    try {
      const seen = await Promise.all(
        Array.from({ length: 4 }, () =>
          db.transact(
            async (trx) =>
              (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(trx))
                .rows[0]!.s,
          ),
        ),
      )
      expect(seen).toEqual(['on', 'on', 'on', 'on'])
    } finally {
      await db.close()
    }
  })
})
