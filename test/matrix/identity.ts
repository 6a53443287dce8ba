// Access-matrix cases for issue 18's single sign-on and directory sign-in: the sign-in routes are public (a
// missing provider is 404 to everyone; a callback always answers with a redirect), the settings admins only.
import { adminOnly, everyone, type RouteCase } from './types.ts'

const MISSING = 999_999

const call = (route: string, path: string, expect: RouteCase['expect'], body?: unknown): RouteCase => ({
  route,
  target: 'none',
  request: () => ({ path, ...(body === undefined ? {} : { body }) }),
  expect,
})

export const cases: RouteCase[] = [
  call('GET /api/v1/auth/oidc/providers', '/api/v1/auth/oidc/providers', everyone(200)),
  call('GET /api/v1/auth/oidc/:provider/start', '/api/v1/auth/oidc/missing/start', everyone(404)),
  // Refusals go back to the sign-in page with the reason, never as an error page.
  call(
    'GET /api/v1/auth/oidc/:provider/callback',
    '/api/v1/auth/oidc/missing/callback?state=x',
    everyone(302),
  ),
  call('GET /api/v1/admin/identity-providers', '/api/v1/admin/identity-providers', adminOnly(200)),
  call('POST /api/v1/admin/identity-providers', '/api/v1/admin/identity-providers', adminOnly(400), {}),
  call(
    'GET /api/v1/admin/identity-providers/:id',
    `/api/v1/admin/identity-providers/${MISSING}`,
    adminOnly(404),
  ),
  call(
    'PATCH /api/v1/admin/identity-providers/:id',
    `/api/v1/admin/identity-providers/${MISSING}`,
    adminOnly(404),
    { enabled: false },
  ),
  call(
    'DELETE /api/v1/admin/identity-providers/:id',
    `/api/v1/admin/identity-providers/${MISSING}`,
    adminOnly(404),
  ),
  call('GET /api/v1/admin/ldap', '/api/v1/admin/ldap', adminOnly(200)),
  call('PUT /api/v1/admin/ldap', '/api/v1/admin/ldap', adminOnly(400), {}),
  // Nothing saved yet: the admin is told so.
  call('POST /api/v1/admin/ldap/test', '/api/v1/admin/ldap/test', adminOnly(400), {}),
]
