// Access-matrix cases for issue 5's routes: help topics, custom fields, snooze, canned responses and the SLA,
// routing and automation admin API.
import { adminOnly, agentsOnly, everyone, signedIn, type RouteCase } from './types.ts'

const MISSING_ID = 999_999

const get = (path: string, expect: RouteCase['expect']): RouteCase => ({
  route: `GET ${path}`,
  target: 'none',
  request: () => ({ path }),
  expect,
})

// Admin writes with an empty body: the admin is told what is missing (400); nobody else gets that far.
const adminWrite = (method: 'POST' | 'PUT', path: string, status = 400): RouteCase => ({
  route: `${method} ${path}`,
  target: 'none',
  request: () => ({ path, body: {} }),
  expect: adminOnly(status),
})

const adminMissing = (
  method: 'PATCH' | 'DELETE',
  route: string,
  path: string,
  body?: unknown,
): RouteCase => ({
  route: `${method} ${route}`,
  target: 'none',
  request: () => ({ path, ...(body === undefined ? {} : { body }) }),
  expect: adminOnly(404),
})

export const cases: RouteCase[] = [
  get('/api/v1/topics', everyone(200)),
  get('/api/v1/custom-fields', everyone(200)),
  get('/api/v1/canned-responses', agentsOnly(200)),
  {
    route: 'PUT /api/v1/tickets/:number/snooze',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/snooze`,
      body: { version: 999_999, until: null },
    }),
    // Needs ticket.edit: John only follows TX, and the limited role has no edit.
    expect: {
      ...agentsOnly(409),
      deptAgent: { TA: 409, TB: 409, TX: 403 },
      limitedAgent: 403,
      admin: 404,
    },
  },
  {
    route: 'PATCH /api/v1/tickets/:number/fields',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/fields`,
      body: { version: 999_999, fields: {} },
    }),
    expect: {
      ...signedIn(409),
      deptAgent: { TA: 409, TB: 409, TX: 403 },
      limitedAgent: 403,
      admin: 404,
    },
  },
  {
    route: 'GET /api/v1/tickets/:number/canned-responses/:id',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/canned-responses/${MISSING_ID}` }),
    expect: { ...agentsOnly(404) },
  },
  get('/api/v1/admin/schedules', adminOnly(200)),
  get('/api/v1/admin/sla-plans', adminOnly(200)),
  get('/api/v1/admin/sla-settings', adminOnly(200)),
  get('/api/v1/admin/rules', adminOnly(200)),
  get('/api/v1/admin/topics', adminOnly(200)),
  get('/api/v1/admin/custom-fields', adminOnly(200)),
  adminWrite('POST', '/api/v1/admin/statuses'),
  adminWrite('POST', '/api/v1/admin/schedules'),
  adminWrite('POST', '/api/v1/admin/sla-plans'),
  adminWrite('POST', '/api/v1/admin/rules'),
  adminWrite('POST', '/api/v1/admin/topics'),
  adminWrite('POST', '/api/v1/admin/custom-fields'),
  adminWrite('POST', '/api/v1/admin/canned-responses'),
  adminMissing('PATCH', '/api/v1/admin/statuses/:key', '/api/v1/admin/statuses/no_such_status', {
    name: 'X',
  }),
  adminMissing('PATCH', '/api/v1/admin/schedules/:id', `/api/v1/admin/schedules/${MISSING_ID}`, {
    name: 'X',
  }),
  adminMissing('PATCH', '/api/v1/admin/sla-plans/:id', `/api/v1/admin/sla-plans/${MISSING_ID}`, {
    name: 'X',
  }),
  adminMissing('PATCH', '/api/v1/admin/rules/:id', `/api/v1/admin/rules/${MISSING_ID}`, { name: 'X' }),
  adminMissing('PATCH', '/api/v1/admin/topics/:id', `/api/v1/admin/topics/${MISSING_ID}`, { name: 'X' }),
  adminMissing('PATCH', '/api/v1/admin/custom-fields/:id', `/api/v1/admin/custom-fields/${MISSING_ID}`, {
    label: 'X',
  }),
  adminMissing(
    'PATCH',
    '/api/v1/admin/canned-responses/:id',
    `/api/v1/admin/canned-responses/${MISSING_ID}`,
    {
      title: 'X',
    },
  ),
  adminMissing(
    'PATCH',
    '/api/v1/admin/agents/:id/availability',
    `/api/v1/admin/agents/${MISSING_ID}/availability`,
    {
      onVacation: false,
    },
  ),
  adminMissing('DELETE', '/api/v1/admin/rules/:id', `/api/v1/admin/rules/${MISSING_ID}`),
  adminMissing(
    'DELETE',
    '/api/v1/admin/canned-responses/:id',
    `/api/v1/admin/canned-responses/${MISSING_ID}`,
  ),
  adminWrite('PUT', '/api/v1/admin/sla-settings', 200),
]

cases.push(
  {
    route: 'GET /api/v1/tickets/:number/tags',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/tags` }),
    expect: { ...agentsOnly(200), admin: 404 },
  },
  get('/api/v1/admin/canned-responses', adminOnly(200)),
)
