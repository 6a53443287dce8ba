// Access-matrix cases for issue 16's satisfaction surveys and time tracking. The survey link routes are public
// (the token is the proof) and answer a bad token alike for everyone. A ticket's time is agents' only: for
// customers it does not exist (404, like a ticket they may not see). Nothing here changes a matrix ticket: the
// time entry named does not exist, and a new one names a thread entry that does not either.
import { expect } from 'vitest'
import { adminOnly, agentsOnly, everyone, signedIn, type RouteCase } from './types.ts'

const MISSING = 999_999_999
const customers404 = { customerA: 404, customerB: 404, customerC: 404 } as const

const missingEntry = (method: 'PATCH' | 'DELETE'): RouteCase => ({
  route: `${method} /api/v1/tickets/:number/time/:id`,
  target: 'ticket',
  request: (_ctx, _actor, number) => ({
    path: `/api/v1/tickets/${number}/time/${MISSING}`,
    ...(method === 'PATCH' ? { body: { minutes: 1 } } : {}),
  }),
  // On a ticket they see, agents are told the entry does not exist.
  expect: signedIn(404),
})

export const cases: RouteCase[] = [
  {
    route: 'POST /api/v1/satisfaction/survey',
    target: 'none',
    request: () => ({ path: '/api/v1/satisfaction/survey', body: { token: 'not-a-token' } }),
    expect: everyone(400),
    check: (_ctx, _actor, res) => expect(res.body.error.code).toBe('invalid_survey_link'),
  },
  {
    route: 'POST /api/v1/satisfaction/answer',
    target: 'none',
    request: () => ({ path: '/api/v1/satisfaction/answer', body: { token: 'not-a-token', rating: 'bad' } }),
    expect: everyone(400),
    check: (_ctx, _actor, res) => expect(res.body.error.code).toBe('invalid_survey_link'),
  },
  {
    route: 'GET /api/v1/tickets/:number/satisfaction',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/satisfaction` }),
    expect: signedIn(200),
    check: (_ctx, _actor, res) => {
      if (res.status === 200) expect(res.body.items).toEqual([])
    },
  },
  {
    route: 'PUT /api/v1/tickets/:number/satisfaction',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/satisfaction`,
      body: { rating: 'good' },
    }),
    // The requester of a ticket that was never asked: no survey. Agents never answer.
    expect: { ...agentsOnly(403), ...customers404 },
  },
  {
    route: 'GET /api/v1/reports/satisfaction',
    target: 'none',
    request: () => ({ path: '/api/v1/reports/satisfaction?groupBy=department' }),
    expect: agentsOnly(200),
    check: (_ctx, _actor, res) => {
      if (res.status === 200) expect(res.body.totals.asked).toBe(0)
    },
  },
  {
    route: 'GET /api/v1/admin/satisfaction',
    target: 'none',
    request: () => ({ path: '/api/v1/admin/satisfaction' }),
    expect: adminOnly(200),
  },
  {
    route: 'PUT /api/v1/admin/satisfaction/:departmentId',
    target: 'none',
    request: () => ({ path: `/api/v1/admin/satisfaction/${MISSING}`, body: { enabled: true } }),
    expect: adminOnly(404),
  },
  {
    route: 'GET /api/v1/tickets/:number/time',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/time` }),
    expect: { ...agentsOnly(200), ...customers404 },
  },
  {
    route: 'POST /api/v1/tickets/:number/time',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/time`,
      body: { minutes: 1, entryId: MISSING },
    }),
    // Needs ticket.edit (John only follows TX; the limited role has no edit); then the entry is unknown.
    expect: {
      ...agentsOnly(400),
      ...customers404,
      deptAgent: { TA: 400, TB: 400, TX: 403 },
      limitedAgent: 403,
      admin: 404,
    },
  },
  missingEntry('PATCH'),
  missingEntry('DELETE'),
  {
    route: 'GET /api/v1/reports/time',
    target: 'none',
    request: () => ({ path: '/api/v1/reports/time' }),
    expect: agentsOnly(200),
    check: (_ctx, _actor, res) => {
      if (res.status === 200) expect(res.body.totals.minutes).toBe(0)
    },
  },
]
