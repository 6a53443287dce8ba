// Access-matrix cases for the admin screens of issue 13: IMAP mailboxes, failed mail, mail templates, the
// audit log and the security policy. Every one is for admins only.
import { adminOnly, type RouteCase } from './types.ts'

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
  call('GET', '/api/v1/admin/mailboxes', adminOnly(200)),
  call('POST', '/api/v1/admin/mailboxes', adminOnly(400), {}),
  call(
    'PATCH',
    `/api/v1/admin/mailboxes/${MISSING_ID}`,
    adminOnly(404),
    { name: 'Matrix' },
    'PATCH /api/v1/admin/mailboxes/:id',
  ),
  call(
    'DELETE',
    `/api/v1/admin/mailboxes/${MISSING_ID}`,
    adminOnly(404),
    undefined,
    'DELETE /api/v1/admin/mailboxes/:id',
  ),
  call(
    'POST',
    `/api/v1/admin/mailboxes/${MISSING_ID}/test`,
    adminOnly(404),
    {},
    'POST /api/v1/admin/mailboxes/:id/test',
  ),
  call(
    'POST',
    `/api/v1/admin/failed-mail/${MISSING_ID}/discard`,
    adminOnly(404),
    {},
    'POST /api/v1/admin/failed-mail/:id/discard',
  ),
  call(
    'POST',
    `/api/v1/admin/failed-mail/${MISSING_ID}/restore`,
    adminOnly(404),
    {},
    'POST /api/v1/admin/failed-mail/:id/restore',
  ),
  call(
    'POST',
    '/api/v1/admin/mail-templates/reply/preview',
    adminOnly(200),
    { subject: 'Matrix {{ticket.number}}', body: 'Probe' },
    'POST /api/v1/admin/mail-templates/:key/preview',
  ),
  call(
    'DELETE',
    '/api/v1/admin/mail-templates/no_such_template',
    adminOnly(400),
    undefined,
    'DELETE /api/v1/admin/mail-templates/:key',
  ),
  call(
    'DELETE',
    '/api/v1/admin/intake-addresses/nobody-matrix@example.com',
    adminOnly(404),
    undefined,
    'DELETE /api/v1/admin/intake-addresses/:address',
  ),
]
