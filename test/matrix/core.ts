// Access-matrix cases for the foundation's routes and the account/security routes (issues 2 and 6).
import { expect } from 'vitest'
import {
  adminOnly,
  agentsOnly,
  everyone,
  isCustomer,
  personOf,
  signedIn,
  TICKETS,
  type MatrixContext,
  type RouteCase,
  type TicketKey,
} from './types.ts'

const numbersOf = (ctx: MatrixContext, items: { number?: string; ticketNumber?: string }[]) => {
  const matrix = new Map(TICKETS.map((k) => [ctx.tickets[k].number, k]))
  return items
    .map((i) => matrix.get(i.number ?? i.ticketNumber ?? ''))
    .filter((k): k is TicketKey => k !== undefined)
    .sort()
}

const docs = (route: string, path: string, status = 200): RouteCase => ({
  route,
  target: 'none',
  request: () => ({ path }),
  expect: everyone(status),
})

export const cases: RouteCase[] = [
  { route: 'GET /', target: 'none', request: () => ({ path: '/' }), expect: everyone(200) },
  { route: 'GET /healthz', target: 'none', request: () => ({ path: '/healthz' }), expect: everyone(200) },
  docs('GET /docs', '/docs'),
  docs('GET /docs/', '/docs/'),
  docs('GET /docs/static/index.html', '/docs/static/index.html', 302),
  docs('GET /docs/static/swagger-initializer.js', '/docs/static/swagger-initializer.js'),
  docs('GET /docs/static/*', '/docs/static/swagger-ui.css'),
  docs('GET /docs/json', '/docs/json'),
  docs('GET /docs/yaml', '/docs/yaml'),
  docs('GET /api/v1/openapi.json', '/api/v1/openapi.json'),

  // Accounts and sign-in.
  {
    route: 'POST /api/v1/auth/login',
    target: 'none',
    // One address per actor: five failures on one account would (rightly) answer 429.
    request: (_ctx, actor) => ({
      path: '/api/v1/auth/login',
      body: { email: `nobody-${actor}@example.com`, password: 'wrong' },
    }),
    expect: everyone(401),
  },
  {
    route: 'POST /api/v1/auth/login/two-factor',
    target: 'none',
    request: () => ({
      path: '/api/v1/auth/login/two-factor',
      body: { challengeToken: 'not-a-challenge', code: '123456' },
    }),
    expect: everyone(401),
  },
  {
    route: 'POST /api/v1/auth/logout',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/logout', body: {} }),
    expect: signedIn(204),
    endsSessions: true,
  },
  {
    route: 'GET /api/v1/auth/me',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/me' }),
    expect: signedIn(200),
  },
  {
    route: 'POST /api/v1/auth/password',
    target: 'none',
    request: () => ({
      path: '/api/v1/auth/password',
      body: { currentPassword: 'not-the-password', newPassword: 'a-new-password-1' },
    }),
    expect: signedIn(403),
  },
  {
    route: 'POST /api/v1/auth/password-reset',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/password-reset', body: { email: 'nobody@example.com' } }),
    expect: everyone(202),
  },
  {
    route: 'POST /api/v1/auth/password-reset/confirm',
    target: 'none',
    request: () => ({
      path: '/api/v1/auth/password-reset/confirm',
      body: { token: 'not-a-token', newPassword: 'a-new-password-1' },
    }),
    expect: everyone(400),
  },
  {
    route: 'POST /api/v1/auth/two-factor/enrol',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/two-factor/enrol', body: {} }),
    expect: agentsOnly(200),
  },
  {
    route: 'POST /api/v1/auth/two-factor/confirm',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/two-factor/confirm', body: { code: '000000' } }),
    expect: agentsOnly(400),
  },
  {
    route: 'POST /api/v1/auth/two-factor/disable',
    target: 'none',
    // The wrong password answers 403 before the code is looked at (no agent here has two-factor sign-in on).
    request: () => ({
      path: '/api/v1/auth/two-factor/disable',
      body: { currentPassword: 'wrong', code: '123456' },
    }),
    expect: agentsOnly(403),
  },
  {
    route: 'GET /api/v1/auth/tokens',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/tokens' }),
    expect: agentsOnly(200),
    check: (_ctx, _actor, res) => {
      if (res.status === 200) expect(JSON.stringify(res.body)).not.toMatch(/sbp_[A-Za-z0-9_-]{20,}/)
    },
  },
  {
    route: 'POST /api/v1/auth/tokens',
    target: 'none',
    request: () => ({
      path: '/api/v1/auth/tokens',
      body: { currentPassword: 'demo-password', name: 'matrix', scopes: ['read'] },
    }),
    expect: agentsOnly(201),
  },
  {
    // The other-department agent's token: only its owner may revoke it; for everyone else it is missing.
    route: 'DELETE /api/v1/auth/tokens/:id',
    target: 'none',
    request: (ctx) => [
      { path: `/api/v1/auth/tokens/${ctx.ids.otherDeptAgentTokenId}` },
      { path: '/api/v1/auth/tokens/2147483647' },
    ],
    expect: { ...agentsOnly(404), otherDeptAgent: 204 },
    check: (_ctx, actor, res) => {
      if (
        res.path.endsWith('/2147483647') &&
        actor !== 'tokenRead' &&
        personOf(actor) !== 'anonymous' &&
        !isCustomer(actor)
      )
        expect(res.status).toBe(404)
    },
  },

  // Admin.
  {
    route: 'GET /api/v1/admin/audit',
    target: 'none',
    request: () => [{ path: '/api/v1/admin/audit' }, { path: '/api/v1/admin/audit?type=auth.*&limit=5' }],
    expect: adminOnly(200),
    check: (_ctx, _actor, res) => {
      if (res.status !== 200) return
      // No secret is ever recorded: no password, no session or access token.
      const text = JSON.stringify(res.body)
      expect(text).not.toMatch(/demo-password|not-the-password|sbp_[A-Za-z0-9_-]{20,}/)
    },
  },
  {
    route: 'GET /api/v1/admin/security',
    target: 'none',
    request: () => ({ path: '/api/v1/admin/security' }),
    expect: adminOnly(200),
  },
  {
    route: 'PUT /api/v1/admin/security',
    target: 'none',
    request: () => ({ path: '/api/v1/admin/security', body: { requireAgentTwoFactor: false } }),
    expect: adminOnly(200),
  },

  // Directory.
  {
    route: 'GET /api/v1/departments',
    target: 'none',
    request: () => ({ path: '/api/v1/departments' }),
    expect: agentsOnly(200),
  },
  {
    route: 'GET /api/v1/agents',
    target: 'none',
    request: () => ({ path: '/api/v1/agents?q=j' }),
    expect: agentsOnly(200),
  },
  {
    route: 'GET /api/v1/teams',
    target: 'none',
    request: () => ({ path: '/api/v1/teams' }),
    expect: agentsOnly(200),
  },
  {
    route: 'GET /api/v1/customers',
    target: 'none',
    request: () => ({ path: '/api/v1/customers?q=ke' }),
    expect: agentsOnly(200),
  },
  {
    route: 'GET /api/v1/statuses',
    target: 'none',
    request: () => ({ path: '/api/v1/statuses' }),
    expect: signedIn(200),
  },

  // Tickets.
  {
    route: 'POST /api/v1/tickets',
    target: 'none',
    request: (_ctx, actor) => ({
      path: '/api/v1/tickets',
      body: actor.startsWith('customer')
        ? { subject: 'Matrix probe', message: 'Opened by the access matrix.' }
        : {
            subject: 'Matrix probe',
            message: 'Opened by the access matrix.',
            requester: { email: 'ken@example.com' },
          },
    }),
    // Customers open their own; agents need ticket.create in the default department (Support).
    expect: { ...signedIn(201), otherDeptAgent: 403, admin: 403 },
  },
  {
    route: 'GET /api/v1/tickets',
    target: 'none',
    request: (ctx) => [
      { path: '/api/v1/tickets?limit=100' },
      { path: `/api/v1/tickets?q=${ctx.commonWord}` },
      ...TICKETS.map((k) => ({ path: `/api/v1/tickets?q=${ctx.tickets[k].subjectWord}` })),
      ...TICKETS.filter((k) => ctx.tickets[k].noteWord).map((k) => ({
        path: `/api/v1/tickets?q=${ctx.tickets[k].noteWord}`,
      })),
      // A ticket number finds that ticket, only for those who may see it.
      ...TICKETS.map((k) => ({
        path: `/api/v1/tickets?q=${encodeURIComponent(`#${ctx.tickets[k].number}`)}`,
      })),
      // Every sort and the filters stay inside the same scope.
      ...['created', 'updated', 'priority', 'due'].map((sort) => ({
        path: `/api/v1/tickets?sort=${sort}&order=asc&limit=100`,
      })),
      { path: '/api/v1/tickets?priority=low,normal,high,emergency&assignee=none&limit=100' },
    ],
    expect: signedIn(200),
    check: (ctx, actor, res) => {
      if (res.status !== 200) return
      const sees = [...ctx.sees[personOf(actor)]].sort()
      const found = numbersOf(ctx, res.body.items)
      const q = new URL(res.path, 'http://x').searchParams.get('q')
      const numbered = TICKETS.find((k) => q === `#${ctx.tickets[k].number}`)
      if (numbered) {
        expect(found, `${actor} searching ${q}`).toEqual(sees.includes(numbered) ? [numbered] : [])
        return
      }
      if (q === null || q === ctx.commonWord) {
        expect(found, `${actor} lists exactly the tickets the detail view allows`).toEqual(sees)
        return
      }
      const key = TICKETS.find((k) => ctx.tickets[k].subjectWord === q || ctx.tickets[k].noteWord === q)!
      const byNote = ctx.tickets[key].noteWord === q
      // A note's words find the ticket for agents who see it, and never for customers.
      const expected = sees.includes(key) && !(byNote && isCustomer(actor)) ? [key] : []
      expect(found, `${actor} searching "${q}"`).toEqual(expected)
    },
  },
  {
    route: 'GET /api/v1/tickets/:number',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}` }),
    expect: { ...signedIn(200), admin: 404 },
    check: (ctx, actor, res) => {
      if (res.status !== 200) return
      if (isCustomer(actor)) {
        expect(res.body.thread.map((e: { kind: string }) => e.kind)).not.toContain('note')
        // Customers see only status changes, each reduced to the status (no rule ids, no agents' filing).
        for (const e of res.body.events as { type: string; before: object | null; after: object | null }[]) {
          expect(['ticket.status_changed', 'ticket.reopened']).toContain(e.type)
          for (const side of [e.before, e.after]) if (side) expect(Object.keys(side)).toEqual(['status'])
        }
      } else {
        const key = TICKETS.find((k) => ctx.tickets[k].number === res.body.ticket.number)!
        if (ctx.tickets[key].noteWord)
          expect(JSON.stringify(res.body.thread)).toContain(ctx.tickets[key].noteWord)
      }
    },
  },
  {
    // A stale version: the answer after the access check is a 409 for agents, and never changes anything.
    route: 'PATCH /api/v1/tickets/:number',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}`,
      body: { version: 999_999, priority: 'high' },
    }),
    expect: {
      ...signedIn(409),
      customerA: 403,
      customerB: 403,
      customerC: 403,
      admin: 404,
    },
  },
  {
    route: 'POST /api/v1/tickets/:number/messages',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/messages`,
      body: { body: 'A message from the access matrix.' },
    }),
    // John only follows TX (now in Billing): he may read it and add notes, not reply to the customer.
    expect: { ...signedIn(201), deptAgent: { TA: 201, TB: 201, TX: 403 }, admin: 404 },
  },
  {
    route: 'PUT /api/v1/tickets/:number/follow',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/follow`, body: {} }),
    expect: { ...agentsOnly(204), admin: 404 },
  },
  {
    route: 'DELETE /api/v1/tickets/:number/follow',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/follow` }),
    expect: { ...agentsOnly(204), admin: 404 },
    // John reaches TX only as a follower: put that back for the cases that come after.
    after: async (ctx) => {
      const db = ctx.server.app.db.writer
      const tx = await db
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', ctx.tickets.TX.number)
        .executeTakeFirstOrThrow()
      const john = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'john@example.com')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('ticket_followers')
        .values({ ticket_id: tx.id, agent_id: john.id, created_at: Date.now() })
        .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doNothing())
        .execute()
    },
  },

  // Notifications.
  {
    route: 'GET /api/v1/notifications',
    target: 'none',
    request: () => [
      { path: '/api/v1/notifications?limit=100' },
      { path: '/api/v1/notifications?unread=true' },
    ],
    expect: signedIn(200),
    check: (ctx, actor, res) => {
      if (res.status !== 200) return
      for (const k of numbersOf(ctx, res.body.items)) expect(ctx.sees[personOf(actor)]).toContain(k)
      // The count is scoped by the same rule as the list.
      if (res.path.includes('unread=true') && res.body.nextCursor === null)
        expect(res.body.unreadCount).toBe(res.body.items.length)
    },
  },
  {
    route: 'POST /api/v1/notifications/read',
    target: 'none',
    request: () => ({ path: '/api/v1/notifications/read', body: { ids: [1, 2, 3] } }),
    expect: signedIn(200),
  },
]
