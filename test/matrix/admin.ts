// Access-matrix cases for the admin API (issue 3's admin console): admins only; everyone else is refused before
// anything is looked up, so a missing id tells a non-admin nothing either.
import { expect } from 'vitest'
import { adminOnly, type PersonName, type RouteCase } from './types.ts'

const MISSING_ID = 999_999
const slug = (actor: PersonName) => actor.toLowerCase()

const list = (path: string): RouteCase => ({
  route: `GET ${path}`,
  target: 'none',
  request: () => ({ path }),
  expect: adminOnly(200),
  check: (_ctx, _actor, res) => {
    if (res.status !== 200) return
    expect(Array.isArray(res.body.items)).toBe(true)
    // Presenters list their fields: no password hash ever leaves the server.
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/)
  },
})

const create = (path: string, body: (actor: PersonName) => unknown): RouteCase => ({
  route: `POST ${path}`,
  target: 'none',
  request: (_ctx, actor) => ({ path, body: body(actor) }),
  expect: adminOnly(201),
})

// Patching a missing id: the admin learns it is missing (404); nobody else gets that far.
const patchMissing = (path: string): RouteCase => ({
  route: `PATCH ${path}/:id`,
  target: 'none',
  request: () => ({ path: `${path}/${MISSING_ID}`, body: { name: 'Renamed' } }),
  expect: adminOnly(404),
})

export const cases: RouteCase[] = [
  list('/api/v1/admin/departments'),
  list('/api/v1/admin/teams'),
  list('/api/v1/admin/agents'),
  list('/api/v1/admin/customers'),
  list('/api/v1/admin/organizations'),
  list('/api/v1/admin/roles'),
  create('/api/v1/admin/departments', (a) => ({ name: `Matrix department ${slug(a)}` })),
  create('/api/v1/admin/teams', (a) => ({ name: `Matrix team ${slug(a)}` })),
  create('/api/v1/admin/agents', (a) => ({
    name: `Matrix Agent ${slug(a)}`,
    email: `matrix-agent-${slug(a)}@example.com`,
    password: 'matrix-password',
    memberships: [],
  })),
  create('/api/v1/admin/customers', (a) => ({
    name: `Matrix Customer ${slug(a)}`,
    email: `matrix-customer-${slug(a)}@example.com`,
  })),
  create('/api/v1/admin/organizations', (a) => ({ name: `Matrix organisation ${slug(a)}` })),
  patchMissing('/api/v1/admin/departments'),
  patchMissing('/api/v1/admin/teams'),
  patchMissing('/api/v1/admin/agents'),
  patchMissing('/api/v1/admin/customers'),
  patchMissing('/api/v1/admin/organizations'),
]
