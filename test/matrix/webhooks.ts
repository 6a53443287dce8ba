// Access-matrix cases for issue 18's webhook admin API: admins only, and a missing webhook is 404.
import { adminOnly, type RouteCase } from './types.ts'

const MISSING = 999_999

const call = (route: string, path: string, status: number, body?: unknown): RouteCase => ({
  route,
  target: 'none',
  request: () => ({ path, ...(body === undefined ? {} : { body }) }),
  expect: adminOnly(status),
})

export const cases: RouteCase[] = [
  call('GET /api/v1/admin/webhooks', '/api/v1/admin/webhooks', 200),
  // An empty body: the admin is told what is missing; nobody else gets that far.
  call('POST /api/v1/admin/webhooks', '/api/v1/admin/webhooks', 400, {}),
  call('GET /api/v1/admin/webhooks/settings', '/api/v1/admin/webhooks/settings', 200),
  call('PUT /api/v1/admin/webhooks/settings', '/api/v1/admin/webhooks/settings', 400, {}),
  call('GET /api/v1/admin/webhooks/:id', `/api/v1/admin/webhooks/${MISSING}`, 404),
  call('PATCH /api/v1/admin/webhooks/:id', `/api/v1/admin/webhooks/${MISSING}`, 404, { active: false }),
  call('DELETE /api/v1/admin/webhooks/:id', `/api/v1/admin/webhooks/${MISSING}`, 404),
  call('GET /api/v1/admin/webhooks/:id/deliveries', `/api/v1/admin/webhooks/${MISSING}/deliveries`, 404),
  call(
    'POST /api/v1/admin/webhooks/:id/deliveries/:deliveryId/redeliver',
    `/api/v1/admin/webhooks/${MISSING}/deliveries/${MISSING}/redeliver`,
    404,
  ),
]
