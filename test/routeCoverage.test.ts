// Every route has a screen (issue 13): walks the OpenAPI document and fails on a route that no page of the web
// app calls, unless test/routeCoverage/allowList.ts lists it (API_ONLY with a reviewed reason, or
// SCREENS_BEING_BUILT while its screen is on the way). It also fails on a page that calls a route the server
// does not have, and on list entries that have gone stale.
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../scripts/openapiDocument.ts'
import {
  API_ONLY,
  CALLED_INDIRECTLY,
  SCREENS_BEING_BUILT,
  UNRESOLVED_CALLS,
  WEB_HELPERS,
} from './routeCoverage/allowList.ts'
import { METHODS, routeOf, scanWebApiCalls, type WebCall } from './support/webApiCalls.ts'

const WEB_SRC = fileURLToPath(new URL('../web/src', import.meta.url))
const LIST_FILE = 'test/routeCoverage/allowList.ts'

describe('route coverage: every route is called by a page', () => {
  let routes: string[]
  let templates: string[]
  let calls: WebCall[]
  /** 'METHOD /template' → where the web app calls it. */
  const called = new Map<string, string>()
  const unknown: string[] = []

  beforeAll(async () => {
    const doc = await buildOpenApiDocument()
    templates = Object.keys(doc.paths)
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((m) => m.toUpperCase())
        .filter((m) => (METHODS as readonly string[]).includes(m))
        .map((m) => `${m} ${path}`),
    )
    calls = scanWebApiCalls(WEB_SRC, WEB_HELPERS)
    for (const call of calls) {
      const where = `${call.file.slice(WEB_SRC.length - 'web/src'.length)}:${call.line}`
      const template = routeOf(call.path, templates)
      const methods = call.method === 'ANY' ? METHODS : [call.method]
      const hits = template ? methods.filter((m) => routes.includes(`${m} ${template}`)) : []
      if (hits.length === 0) unknown.push(`${call.method} ${call.path} (${where})`)
      for (const m of hits) if (!called.has(`${m} ${template}`)) called.set(`${m} ${template}`, where)
    }
  })

  it('finds the calls the pages make (the scanner itself works)', () => {
    // One of each way a page calls: api(), get(), a helper given a resource path, a path built by a function.
    for (const route of [
      'GET /api/v1/auth/me',
      'PATCH /api/v1/tickets/{number}',
      'DELETE /api/v1/admin/rules/{id}',
      'PATCH /api/v1/admin/agents/{id}',
      'POST /api/v1/tickets/{number}/links',
      'GET /api/v1/events',
    ])
      expect(called.has(route), route).toBe(true)
  })

  it('every route is called by a page, or listed with its reason', () => {
    const missing = routes.filter(
      (r) => !called.has(r) && !(r in API_ONLY) && !(r in SCREENS_BEING_BUILT) && !(r in CALLED_INDIRECTLY),
    )
    expect(
      missing,
      `routes that no page calls: give each a screen, or list it in ${LIST_FILE} with a reason`,
    ).toEqual([])
  })

  it('every page calls a route the server has', () => {
    const listed = (u: string) => u.replace(/:\d+\)$/, ')') in UNRESOLVED_CALLS
    expect(
      unknown.filter((u) => !listed(u)),
      'calls in web/src that match no route of the OpenAPI document',
    ).toEqual([])
  })

  it('the lists hold only routes that exist and that no page calls yet', () => {
    for (const [name, list] of [
      ['API_ONLY', API_ONLY],
      ['SCREENS_BEING_BUILT', SCREENS_BEING_BUILT],
      ['CALLED_INDIRECTLY', CALLED_INDIRECTLY],
    ] as const) {
      const stale = Object.keys(list).filter((r) => !routes.includes(r))
      expect(stale, `${name} in ${LIST_FILE} names routes the server no longer has`).toEqual([])
      const nowCalled = Object.keys(list)
        .filter((r) => called.has(r))
        .map((r) => `${r} (called at ${called.get(r)})`)
      expect(nowCalled, `a page calls these now: remove them from ${name} in ${LIST_FILE}`).toEqual([])
      for (const [route, reason] of Object.entries(list)) expect(reason.trim(), route).not.toBe('')
    }
    const both = Object.keys(API_ONLY).filter((r) => r in SCREENS_BEING_BUILT)
    expect(both, 'listed twice').toEqual([])
  })
})
