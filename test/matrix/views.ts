// Access-matrix cases for saved views: agents only; another agent's personal view answers 404 like a missing one.
import { expect } from 'vitest'
import { agentsOnly, type RouteCase } from './types.ts'

const ownerOnly = (status: number) => ({
  ...agentsOnly(404),
  deptAgent: status,
})

export const cases: RouteCase[] = [
  {
    route: 'GET /api/v1/views',
    target: 'none',
    request: () => ({ path: '/api/v1/views' }),
    expect: agentsOnly(200),
    check: (ctx, actor, res) => {
      if (res.status !== 200) return
      const ids = res.body.items.map((v: { id: number }) => v.id)
      const own = actor === 'deptAgent' || actor === 'tokenRead'
      expect(ids.includes(ctx.ids.deptAgentViewId), `${actor} sees John's personal view`).toBe(own)
    },
  },
  {
    route: 'POST /api/v1/views',
    target: 'none',
    request: () => ({
      path: '/api/v1/views',
      body: { name: 'Matrix personal', filters: { priority: ['high'] } },
    }),
    expect: agentsOnly(201),
  },
  {
    route: 'PATCH /api/v1/views/:id',
    target: 'none',
    request: (ctx) => [
      { path: `/api/v1/views/${ctx.ids.deptAgentViewId}`, body: { name: 'Matrix view of John' } },
      { path: '/api/v1/views/999999', body: { name: 'Nobody' } },
    ],
    expect: ownerOnly(200),
  },
  {
    // John deletes his own view (the cases after this one do not need it); for everyone else it is 404.
    route: 'DELETE /api/v1/views/:id',
    target: 'none',
    request: (ctx) => ({ path: `/api/v1/views/${ctx.ids.deptAgentViewId}` }),
    expect: ownerOnly(204),
  },
]
