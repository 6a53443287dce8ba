// Random JSON at every route of the route table — bodies, query strings and path parameters — as anonymous, a
// customer, an agent and an admin: whatever arrives, the answer is never a 5xx. On every database.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25)

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.constantFrom('999999', '100001', '-1', '0', '1e9', '%00', '..', '__proto__', 'constructor'),
)
const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom('q', 'cursor', 'limit', 'view', 'status', 'type', 'actorId', 'unread', 'departmentId'),
    fc.string({ maxLength: 10 }),
  ),
  fc.oneof(fc.string({ maxLength: 60 }), fc.integer().map(String), fc.constant('')),
  { maxKeys: 4 },
)
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'subject',
      'message',
      'body',
      'version',
      'priority',
      'status',
      'email',
      'password',
      'internal',
      'ids',
      'scopes',
      'name',
      'code',
      'token',
      'newPassword',
      'currentPassword',
      'requester',
      '__proto__',
      'constructor',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
)

describe.each(DATABASES)('random input on %s', (kind) => {
  let t: TestServer
  const clients: Record<string, Client> = {}
  beforeAll(async () => {
    t = await startServer(kind)
    const anon = new Client(t.url)
    clients.anonymous = anon
    clients.customer = await anon.as('ken@example.com')
    clients.agent = await anon.as('john@example.com')
    clients.admin = await anon.as('admin@example.com')
    await clients.customer.post('/api/v1/tickets', { subject: 'Fuzz target', message: 'm' })
  })
  afterAll(() => t.close())

  it('never answers 5xx, whatever JSON reaches whichever route', async () => {
    const failures: string[] = []
    const routes = t.server.routeTable.filter((r) => !r.url.startsWith('/docs'))
    for (const route of routes) {
      await fc
        .assert(
          fc.asyncProperty(
            fc.constantFrom(...Object.keys(clients)),
            segment,
            query,
            body,
            async (who, param, q, b) => {
              const path =
                route.url
                  .replace(/:(\w+)/g, () => encodeURIComponent(param))
                  .replace('*', encodeURIComponent(param)) +
                (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '')
              const sendsBody = !['GET', 'HEAD', 'DELETE'].includes(route.method)
              const res = await clients[who]!.request(
                route.method,
                path,
                sendsBody ? JSON.stringify(b) : undefined,
                sendsBody ? { 'content-type': 'application/json' } : {},
              )
              if (res.status >= 500)
                failures.push(
                  `${route.method} ${path} as ${who} with ${JSON.stringify(b).slice(0, 200)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
                )
              return res.status < 500
            },
          ),
          { numRuns: RUNS_PER_ROUTE },
        )
        .catch(() => {})
      // Sign-out and password changes from the fuzzer end sessions: sign everyone in again for the next route.
      const anon = clients.anonymous!
      clients.customer = await anon.as('ken@example.com').catch(() => clients.customer!)
      clients.agent = await anon.as('john@example.com').catch(() => clients.agent!)
      clients.admin = await anon.as('admin@example.com').catch(() => clients.admin!)
    }
    expect(failures).toEqual([])
  })
})
