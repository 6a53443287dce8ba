// Access-matrix cases for issue 4's routes: the email channel's admin API, per-agent mail alerts, a ticket's
// mail view and attachments, and the osTicket-compatible intake (API keys only: no session opens it).
import { adminOnly, agentsOnly, everyone, signedIn, type RouteCase } from './types.ts'

const MISSING_ID = 999_999

const call = (
  method: string,
  path: string,
  expect: RouteCase['expect'],
  body?: unknown,
  route = `${method} ${path}`,
): RouteCase => ({
  route,
  target: 'none',
  request: () => ({ path, ...(body === undefined ? {} : { body }) }),
  expect,
})

export const cases: RouteCase[] = [
  call('GET', '/api/v1/admin/failed-mail', adminOnly(200)),
  call(
    'GET',
    `/api/v1/admin/failed-mail/${MISSING_ID}/raw`,
    adminOnly(404),
    undefined,
    'GET /api/v1/admin/failed-mail/:id/raw',
  ),
  call(
    'POST',
    `/api/v1/admin/failed-mail/${MISSING_ID}/retry`,
    adminOnly(404),
    {},
    'POST /api/v1/admin/failed-mail/:id/retry',
  ),
  call('GET', '/api/v1/admin/api-keys', adminOnly(200)),
  call('POST', '/api/v1/admin/api-keys', adminOnly(400), {}),
  call(
    'DELETE',
    `/api/v1/admin/api-keys/${MISSING_ID}`,
    adminOnly(404),
    undefined,
    'DELETE /api/v1/admin/api-keys/:id',
  ),
  call('GET', '/api/v1/admin/mail-templates', adminOnly(200)),
  call(
    'PUT',
    '/api/v1/admin/mail-templates/no_such_template',
    adminOnly(400),
    {},
    'PUT /api/v1/admin/mail-templates/:key',
  ),
  call('GET', '/api/v1/admin/intake-addresses', adminOnly(200)),
  call(
    'PUT',
    '/api/v1/admin/intake-addresses/matrix@example.com',
    adminOnly(400),
    {},
    'PUT /api/v1/admin/intake-addresses/:address',
  ),
  call('GET', '/api/v1/me/mail-alerts', agentsOnly(200)),
  call('PUT', '/api/v1/me/mail-alerts', agentsOnly(204), {}),
  call('GET', '/api/v1/me/signature', agentsOnly(200)),
  call('PUT', '/api/v1/me/signature', agentsOnly(200), { signature: 'Matrix probe' }),
  {
    route: 'GET /api/v1/tickets/:number/mail',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/mail` }),
    expect: { ...signedIn(200), admin: 404 },
  },
  {
    route: 'GET /api/v1/tickets/:number/attachments/:id',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/attachments/${MISSING_ID}` }),
    expect: signedIn(404),
  },
  // Agents only, on tickets they see; the matrix tickets came by the API, so there is no original email (404).
  // test/failedMailRaw.test.ts reads a real one.
  {
    route: 'GET /api/v1/tickets/:number/messages/:entryId/raw',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/messages/${MISSING_ID}/raw` }),
    expect: agentsOnly(404),
  },
  // osTicket's API answers only to X-API-Key: a session or personal token is no key at all.
  call('POST', '/api/tickets.json', everyone(401), {
    name: 'X',
    email: 'x@example.com',
    subject: 's',
    message: 'm',
  }),
  call('POST', '/api/tickets.email', everyone(401), 'From: x@example.com\r\nSubject: s\r\n\r\nm'),
  call(
    'POST',
    '/api/tickets.xml',
    everyone(401),
    '<ticket name="X" email="x@example.com" subject="s"><message>m</message></ticket>',
  ),
  call('POST', '/api/tasks/cron', everyone(401)),
]
