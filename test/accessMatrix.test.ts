// The access matrix, generated from the route table: every route, called as every actor, on every object they
// might reach. Denied and missing answer alike (the same 404, byte for byte), anonymous gets 401, and no answer
// of any route — list, search, notification, count — names a ticket that the actor's detail view refuses, or
// shows a customer an internal note. The cases are data in test/matrix/*.ts; a route without one fails here.
import { readdirSync } from 'node:fs'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../src/commands/auth.ts'
import { registerHttpBasics, type RouteEntry } from '../src/routes/http.ts'
import {
  ACTORS,
  isCustomer,
  personOf,
  TICKETS,
  type ActorName,
  type MatrixContext,
  type MatrixRequest,
  type PersonName,
  type RouteCase,
  type TicketKey,
} from './matrix/types.ts'
import { readBody } from './support/readBody.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const caseFiles = readdirSync(new URL('./matrix/', import.meta.url)).filter(
  (f) => f.endsWith('.ts') && f !== 'types.ts',
)
const modules = (await Promise.all(caseFiles.map((f) => import(`./matrix/${f}`)))) as {
  cases: RouteCase[]
  /** Makes the objects a file's cases act on, once the matrix's people and tickets exist. */
  setup?(ctx: MatrixContext): Promise<void>
}[]
const CASES = new Map<string, RouteCase>()
for (const c of modules.flatMap((m) => m.cases)) {
  if (CASES.has(c.route)) throw new Error(`test/matrix: two cases for ${c.route}`)
  CASES.set(c.route, c)
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])
const GUARD_CODES = ['unauthenticated', 'agents_only', 'admins_only', 'insufficient_scope', 'forbidden']

/** Routes of the table, HEAD folded into its GET (called with the GET's case, expecting the same status). */
function routesOf(table: RouteEntry[]): RouteEntry[] {
  const seen = new Map<string, RouteEntry>()
  for (const r of table) seen.set(`${r.method} ${r.url}`, r)
  return [...seen.values()]
}

function caseFor(route: RouteEntry): RouteCase | undefined {
  return (
    CASES.get(`${route.method} ${route.url}`) ??
    (route.method === 'HEAD' ? CASES.get(`GET ${route.url}`) : undefined)
  )
}

describe.each(DATABASES)('access matrix on %s', (kind) => {
  let t: TestServer
  let ctx: MatrixContext
  const tokens = new Map<ActorName, string | undefined>()
  const emails: Record<Exclude<PersonName, 'anonymous'>, string> = {
    customerA: 'ken@example.com',
    customerB: 'bea@acme.test',
    customerC: 'cid@globex.test',
    deptAgent: 'john@example.com',
    limitedAgent: 'lim@example.com',
    otherDeptAgent: 'sam@example.com',
    admin: 'admin@example.com',
  }

  async function signInEveryone(): Promise<void> {
    const anon = new Client(t.url)
    for (const [actor, email] of Object.entries(emails))
      tokens.set(actor as ActorName, (await anon.as(email)).token)
  }

  beforeAll(async () => {
    // The matrix calls every route as every actor: far more than a real client does in a minute.
    t = await startServer(kind, {
      env: { RATE_LIMIT_PER_TOKEN: '100000', RATE_LIMIT_PER_API_KEY: '100000', RATE_LIMIT_PER_IP: '100000' },
    })
    const db = t.app.db.writer
    const now = Date.now()
    const passwordHash = await hashPassword('demo-password')
    const acme = await db
      .insertInto('organizations')
      .values({ name: 'Acme', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    const globex = await db
      .insertInto('organizations')
      .values({ name: 'Globex', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('users')
      .set({ organization_id: acme.id })
      .where('email', '=', 'ken@example.com')
      .execute()
    for (const [email, name, org] of [
      ['bea@acme.test', 'Bea Acme', acme.id],
      ['cid@globex.test', 'Cid Globex', globex.id],
    ] as const) {
      await db
        .insertInto('users')
        .values({
          type: 'customer',
          name,
          email,
          password_hash: passwordHash,
          organization_id: org,
          created_at: now,
        })
        .execute()
    }
    const dept = async (name: string) =>
      (await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
    const supportId = await dept('Support')
    const billingId = await dept('Billing')
    const limitedRole = await db
      .selectFrom('roles')
      .select('id')
      .where('key', '=', 'limited_access')
      .executeTakeFirstOrThrow()
    const lim = await db
      .insertInto('users')
      .values({
        type: 'agent',
        name: 'Lim Ited',
        email: 'lim@example.com',
        password_hash: passwordHash,
        primary_department_id: supportId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('agent_departments')
      .values({ agent_id: lim.id, department_id: supportId, role_id: limitedRole.id })
      .execute()
    await signInEveryone()

    const as = (actor: ActorName) => new Client(t.url, tokens.get(actor))
    const commonWord = 'matrixcommon'
    const open = async (actor: ActorName, key: TicketKey, extra: object = {}) => {
      const subjectWord = `subj${key.toLowerCase()}word`
      const subject = `${commonWord} ${subjectWord} ticket`
      const res = await as(actor).post('/api/v1/tickets', {
        subject,
        message: `The ${key} ticket.`,
        ...extra,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return {
        number: res.body.ticket.number as string,
        subject,
        subjectWord,
        noteWord: null as string | null,
      }
    }
    const note = async (actor: ActorName, number: string, word: string) => {
      const res = await as(actor).post(`/api/v1/tickets/${number}/messages`, {
        body: `Internal: ${word}.`,
        internal: true,
      })
      expect(res.status).toBe(201)
    }
    const TA = await open('customerA', 'TA')
    const TB = await open('customerB', 'TB')
    const TC = await open('otherDeptAgent', 'TC', {
      requester: { email: 'cid@globex.test' },
      departmentId: billingId,
    })
    const TX = await open('customerA', 'TX')
    TA.noteWord = 'notetasecret'
    TC.noteWord = 'notetcsecret'
    TX.noteWord = 'notetxsecret'
    await note('deptAgent', TA.number, TA.noteWord)
    await as('deptAgent').post(`/api/v1/tickets/${TA.number}/messages`, { body: 'A public reply.' })
    await note('otherDeptAgent', TC.number, TC.noteWord)
    await note('deptAgent', TX.number, TX.noteWord)
    const john = as('deptAgent')
    const assigned = await john.patch(`/api/v1/tickets/${TX.number}`, { version: 1, assigneeAgentId: lim.id })
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200)
    const moved = await john.patch(`/api/v1/tickets/${TX.number}`, { version: 2, departmentId: billingId })
    expect(moved.body.ticket.assigneeAgentId).toBeNull()
    const limNotes = await as('limitedAgent').get('/api/v1/notifications')
    expect(limNotes.status).toBe(200)
    // The limited agent was told about TX before the transfer; the row exists, the scoped list must hide it.
    const rows = await db
      .selectFrom('notifications')
      .select('ticket_id')
      .where('user_id', '=', lim.id)
      .execute()
    expect(rows.length).toBeGreaterThan(0)

    const read = await john.post('/api/v1/auth/tokens', {
      currentPassword: 'demo-password',
      name: 'matrix read',
      scopes: ['read'],
    })
    tokens.set('tokenRead', read.body.token)
    const revoked = await john.post('/api/v1/auth/tokens', {
      currentPassword: 'demo-password',
      name: 'matrix revoked',
      scopes: ['read', 'write'],
    })
    tokens.set('tokenRevoked', revoked.body.token)
    expect((await john.request('DELETE', `/api/v1/auth/tokens/${revoked.body.accessToken.id}`)).status).toBe(
      204,
    )
    const victim = await as('otherDeptAgent').post('/api/v1/auth/tokens', {
      currentPassword: 'demo-password',
      name: 'victim',
      scopes: ['read'],
    })
    tokens.set('anonymous', undefined)
    const view = await john.post('/api/v1/views', {
      name: 'Matrix view of John',
      filters: { priority: ['normal'] },
    })
    expect(view.status, JSON.stringify(view.body)).toBe(201)

    ctx = {
      server: t,
      tickets: { TA, TB, TC, TX },
      missingNumber: '999999',
      commonWord,
      sees: {
        anonymous: [],
        customerA: ['TA', 'TX'],
        customerB: ['TB'],
        customerC: ['TC'],
        deptAgent: ['TA', 'TB', 'TX'],
        limitedAgent: ['TA', 'TB'],
        otherDeptAgent: ['TC', 'TX'],
        admin: [],
      },
      ids: {
        billingDepartmentId: billingId,
        supportDepartmentId: supportId,
        otherDeptAgentTokenId: victim.body.accessToken.id,
        deptAgentViewId: view.body.view.id,
      },
    }
    for (const m of modules) await m.setup?.(ctx)
  })
  afterAll(() => t?.close())

  it('has a case for every route of the server', () => {
    const routes = routesOf(t.server.routeTable)
    const missing = routes.filter((r) => !caseFor(r)).map((r) => `${r.method} ${r.url} (policy ${r.policy})`)
    expect(
      missing,
      'These routes have no access-matrix case. Add one per route to a file in test/matrix/ (see types.ts ' +
        'and core.ts): which actors may call it and with what status.',
    ).toEqual([])
    // A HEAD route borrows the case of its GET, which may be named even when only the HEAD is in the table.
    const known = new Set(routes.flatMap((r) => [`${r.method} ${r.url}`, `GET ${r.url}`]))
    expect(
      [...CASES.keys()].filter((k) => !known.has(k)),
      'Cases for routes that do not exist',
    ).toEqual([])
  })

  it('answers a route that does not exist with the same 404 to everyone (issue 9)', async () => {
    // It used to run the admin guard first: 401 to anonymous, 403 `admins_only` to a signed-in non-admin.
    const answers = new Set<string>()
    for (const actor of ACTORS) {
      for (const [method, path] of [
        ['GET', '/api/v1/nope'],
        ['POST', '/api/v1/nope'],
        ['GET', '/api/v1/admin/nope'],
        ['POST', '/api/v1/admin/nope'],
        ['DELETE', '/api/v1/admin/nope/1'],
        ['PUT', '/api/v1/tickets'],
      ] as const) {
        const token = tokens.get(actor)
        const res = await fetch(t.url + path, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: method === 'GET' ? undefined : '{}',
        })
        const body = (await res.json()) as { error: { code: string; message: string } }
        expect([actor, method, path, res.status, body.error.code]).toEqual([
          actor,
          method,
          path,
          404,
          'not_found',
        ])
        answers.add(`${method} ${path} ${JSON.stringify(body)}`)
      }
    }
    // The same answer whoever asks: nothing tells a caller which prefixes are guarded.
    expect(answers.size).toBe(6)
  })

  it('answers every actor as the matrix says, denied exactly like missing, and leaks nothing', async () => {
    const failures: string[] = []
    const fail = (what: string) => failures.push(what)
    const call = async (actor: ActorName, method: string, req: MatrixRequest) => {
      const token = tokens.get(actor)
      const res = await fetch(t.url + req.path, {
        method,
        redirect: 'manual',
        headers: {
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...req.headers,
        },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      })
      const text = await readBody(res)
      let body: any = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        // not JSON
      }
      return { status: res.status, body, text, path: req.path }
    }
    const leaks = (actor: ActorName, label: string, text: string, echoesNumbers = false) => {
      const person = personOf(actor)
      for (const key of TICKETS) {
        const ticket = ctx.tickets[key]
        if (!ctx.sees[person].includes(key)) {
          if ((!echoesNumbers && text.includes(`"${ticket.number}"`)) || text.includes(ticket.subjectWord))
            fail(`${label}: ${actor} was shown ${key}, which their detail view refuses`)
          if (ticket.noteWord && text.includes(ticket.noteWord))
            fail(`${label}: ${actor} was shown ${key}'s note`)
        }
        if (isCustomer(actor) && ticket.noteWord && text.includes(ticket.noteWord))
          fail(`${label}: customer ${actor} was shown an internal note of ${key}`)
      }
    }
    const expectedFor = (c: RouteCase, route: RouteEntry, actor: ActorName, key?: TicketKey): number => {
      if (actor === 'tokenRevoked')
        return route.policy === 'public' ? expectedFor(c, route, 'anonymous', key) : 401
      if (actor === 'tokenRead' && !SAFE.has(route.method) && route.policy !== 'public') return 403
      const e = c.expect[personOf(actor)]
      if (typeof e === 'number') return e
      const byTicket = key ? e[key] : undefined
      if (byTicket === undefined)
        throw new Error(`${route.method} ${route.url}: no expectation for ${actor} on ${key}`)
      return byTicket
    }

    for (const route of routesOf(t.server.routeTable)) {
      const c = caseFor(route)
      if (!c) continue
      const label = `${route.method} ${route.url}`
      for (const actor of ACTORS) {
        const person = personOf(actor)
        const run = async (number: string, key?: TicketKey) => {
          const made = c.request(ctx, person, number)
          const requests = Array.isArray(made) ? made : [made]
          const results = []
          for (const [i, req] of requests.entries()) {
            const res = await call(actor, route.method, req)
            const where = `${label} ${req.path} as ${actor}${key ? ` on ${key}` : ''}`
            if (res.status >= 500) fail(`${where}: ${res.status} ${res.text.slice(0, 200)}`)
            if (route.method === 'HEAD' && res.text !== '') fail(`${where}: HEAD answered with a body`)
            leaks(actor, where, res.text, c.echoesNumbers)
            if (c.check && route.method !== 'HEAD') {
              try {
                c.check(ctx, actor, res)
              } catch (error) {
                fail(`${where}: ${(error as Error).message.split('\n')[0]}`)
              }
            }
            results.push({ ...res, first: i === 0, where })
          }
          return results[0]!
        }
        if (c.target === 'none') {
          const res = await run('')
          const want = expectedFor(c, route, actor)
          if (res.status !== want)
            fail(`${res.where}: expected ${want}, got ${res.status} ${res.text.slice(0, 160)}`)
          continue
        }
        const missing = await run(ctx.missingNumber)
        if (route.method !== 'HEAD') {
          const code = missing.body?.error?.code
          if (missing.status === 404 ? code !== 'not_found' : !GUARD_CODES.includes(code))
            fail(
              `${missing.where}: a missing ticket answered ${missing.status} ${missing.text.slice(0, 160)}`,
            )
        }
        for (const key of TICKETS) {
          const res = await run(ctx.tickets[key].number, key)
          if (ctx.sees[person].includes(key)) {
            const want = expectedFor(c, route, actor, key)
            if (res.status !== want)
              fail(`${res.where}: expected ${want}, got ${res.status} ${res.text.slice(0, 160)}`)
          } else if (res.status !== missing.status || res.text !== missing.text) {
            fail(
              `${res.where}: denied differs from missing: ${res.status} ${res.text.slice(0, 120)} vs ${missing.status} ${missing.text.slice(0, 120)}`,
            )
          }
        }
      }
      if (c.endsSessions) await signInEveryone()
      if (c.after) await c.after(ctx)
    }
    expect(failures).toEqual([])
    // Hundreds of requests for every actor: over vitest's default minute on a loaded 2-core machine.
  }, 300_000)

  it('refuses to start a server with a route that declares no access policy', async () => {
    const bare = Fastify()
    registerHttpBasics(bare, t.app)
    let refused: unknown
    try {
      bare.get('/unguarded', async () => 'open to all')
      await bare.ready()
    } catch (error) {
      refused = error
    }
    expect(String(refused)).toMatch(/GET \/unguarded declares no access policy/)
    await bare.close().catch(() => {})
  })
})
