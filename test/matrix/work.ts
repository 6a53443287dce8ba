// Access-matrix cases for issue 10's writes: bulk changes, a ticket's tags and macros. None of them changes a
// matrix ticket: bulk and macros are sent with a stale version, tags with the empty set the tickets already have.
import { TICKETS, agentsOnly, personOf, type RouteCase } from './types.ts'

const MISSING_ID = 999_999
/** The demo macro "Close and tag as spam", the first macro of every demo database. */
const DEMO_MACRO_ID = 1

const missingMacro = (method: 'PATCH' | 'DELETE'): RouteCase => ({
  route: `${method} /api/v1/macros/:id`,
  target: 'none',
  request: () => ({
    path: `/api/v1/macros/${MISSING_ID}`,
    ...(method === 'PATCH' ? { body: { name: 'x' } } : {}),
  }),
  expect: agentsOnly(404),
})

export const cases: RouteCase[] = [
  {
    route: 'POST /api/v1/tickets/bulk',
    target: 'none',
    echoesNumbers: true,
    request: (ctx) => {
      const numbers = [...TICKETS.map((k) => ctx.tickets[k].number), ctx.missingNumber]
      return {
        path: '/api/v1/tickets/bulk',
        body: {
          numbers,
          changes: { priority: 'high' },
          versions: Object.fromEntries(numbers.map((n) => [n, 999_999])),
        },
      }
    },
    expect: agentsOnly(200),
    // Every ticket the agent sees is refused as stale (nothing changes); every other answers as the missing one.
    check(ctx, actor, res) {
      if (res.status !== 200) return
      const results = res.body.results as { number: string; outcome: string; ticket?: unknown }[]
      const byNumber = new Map(results.map(({ number, ...rest }) => [number, rest]))
      const missing = byNumber.get(ctx.missingNumber)
      if (
        JSON.stringify(missing) !==
        '{"outcome":"not_found","error":{"code":"not_found","message":"No such ticket."}}'
      )
        throw new Error(`the missing ticket answered ${JSON.stringify(missing)}`)
      for (const key of TICKETS) {
        const got = byNumber.get(ctx.tickets[key].number)
        const sees = ctx.sees[personOf(actor)].includes(key)
        if (sees && got?.outcome !== 'conflict') throw new Error(`${key} answered ${JSON.stringify(got)}`)
        if (!sees && JSON.stringify(got) !== JSON.stringify(missing))
          throw new Error(`${key}, which ${actor} may not see, answered ${JSON.stringify(got)}`)
      }
    },
  },
  {
    route: 'PUT /api/v1/tickets/:number/tags',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/tags`, body: { tags: [] } }),
    // Needs ticket.edit: John only follows TX, and the limited role has no edit.
    expect: {
      ...agentsOnly(200),
      deptAgent: { TA: 200, TB: 200, TX: 403 },
      limitedAgent: 403,
      admin: 404,
    },
  },
  {
    route: 'GET /api/v1/macros',
    target: 'none',
    request: () => ({ path: '/api/v1/macros' }),
    expect: agentsOnly(200),
  },
  {
    route: 'POST /api/v1/macros',
    target: 'none',
    request: () => ({ path: '/api/v1/macros', body: {} }),
    expect: agentsOnly(400),
  },
  missingMacro('PATCH'),
  missingMacro('DELETE'),
  {
    route: 'POST /api/v1/tickets/:number/macros/:id',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/macros/${DEMO_MACRO_ID}`,
      body: { version: 999_999 },
    }),
    expect: { ...agentsOnly(409), admin: 404 },
  },
]
