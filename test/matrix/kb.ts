// Access-matrix cases for the knowledge base (issue 17). Reading is public and scoped: visitors read public
// articles, customers also `customers` ones, agents internal ones too, writers (kb.edit: John, Sam, the admin)
// drafts as well; the limited agent holds neither kb.edit nor kb.publish, John kb.edit only. Every answer of
// every kb route is checked for the words of the articles the actor may not read.
import { expect } from 'vitest'
import { Client } from '../support/client.ts'
import {
  adminOnly,
  agentsOnly,
  everyone,
  type ActorName,
  type MatrixContext,
  type PersonName,
  type RouteCase,
} from './types.ts'

const KINDS = ['pub', 'cust', 'int', 'draft'] as const
type Kind = (typeof KINDS)[number]
const word = (k: Kind) => `mxkb${k}word`

/** Which articles each person may read: the oracle, written out apart from the policy code. */
const READS: Record<PersonName, readonly Kind[]> = {
  anonymous: ['pub'],
  customerA: ['pub', 'cust'],
  customerB: ['pub', 'cust'],
  customerC: ['pub', 'cust'],
  deptAgent: ['pub', 'cust', 'int', 'draft'],
  limitedAgent: ['pub', 'cust', 'int'],
  otherDeptAgent: ['pub', 'cust', 'int', 'draft'],
  admin: ['pub', 'cust', 'int', 'draft'],
}
const person = (actor: ActorName): PersonName =>
  actor === 'tokenRead' ? 'deptAgent' : actor === 'tokenRevoked' ? 'anonymous' : actor

const kb = {
  categoryId: 0,
  slugs: {} as Record<Kind, string>,
  ids: {} as Record<Kind, number>,
  /** A category and a draft for each person, for the delete cases (one delete each). */
  deletableCategory: {} as Record<string, number>,
  deletableDraft: {} as Record<string, number>,
  /** A file of each article: its id and address. */
  files: {} as Record<Kind, { id: number; url: string }>,
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

export async function setup(ctx: MatrixContext): Promise<void> {
  const admin = await new Client(ctx.server.url).as('admin@example.com')
  const cat = await admin.post('/api/v1/kb/categories', { name: 'Matrix shelf' })
  expect(cat.status).toBe(201)
  kb.categoryId = cat.body.category.id
  const visibility: Record<Kind, string> = {
    pub: 'public',
    cust: 'customers',
    int: 'internal',
    draft: 'public',
  }
  for (const k of KINDS) {
    const res = await admin.post('/api/v1/kb/articles', {
      title: `Matrix ${word(k)} article`,
      body: `<p>mxkbcommon ${word(k)}</p>`,
      visibility: visibility[k],
      status: k === 'draft' ? 'draft' : 'published',
      categoryId: kb.categoryId,
      slug: `matrix-${k}-old`,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    kb.ids[k] = res.body.article.id
    const renamed = await admin.patch(`/api/v1/kb/articles/${res.body.article.id}`, { slug: `matrix-${k}` })
    expect(renamed.status).toBe(200)
    kb.slugs[k] = `matrix-${k}`
    const form = new FormData()
    form.append('file', new Blob([PNG]), `${k}.png`)
    const up = await fetch(`${ctx.server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
      body: form,
    })
    const upload = (await up.json()) as { id: number }
    const kept = await admin.post(`/api/v1/kb/articles/${kb.ids[k]}/files`, { uploads: [upload.id] })
    expect(kept.status, JSON.stringify(kept.body)).toBe(201)
    kb.files[k] = kept.body.items[0]
  }
  for (const p of Object.keys(READS)) {
    const c = await admin.post('/api/v1/kb/categories', { name: `Matrix delete ${p}` })
    kb.deletableCategory[p] = c.body.category.id
    const d = await admin.post('/api/v1/kb/articles', { title: `Matrix delete ${p}`, visibility: 'internal' })
    kb.deletableDraft[p] = d.body.article.id
  }
}

function noLeaks(_ctx: MatrixContext, actor: ActorName, res: { body: unknown }) {
  const text = JSON.stringify(res.body ?? '')
  for (const k of KINDS)
    if (!READS[person(actor)].includes(k))
      expect(text, `${actor} was shown the ${k} article`).not.toContain(word(k))
}

const writers = (status: number) => ({ ...agentsOnly(status), limitedAgent: 403 })
const publishers = (status: number) => ({ ...writers(status), deptAgent: 403 })

export const cases: RouteCase[] = [
  {
    route: 'GET /api/v1/kb/categories',
    target: 'none',
    request: () => ({ path: '/api/v1/kb/categories' }),
    expect: everyone(200),
    check: (_ctx, actor, res) => {
      const shelf = res.body.items.find((c: { id: number }) => c.id === kb.categoryId)
      expect(shelf.articleCount, `${actor} count`).toBe(READS[person(actor)].length)
    },
  },
  {
    route: 'POST /api/v1/kb/categories',
    target: 'none',
    request: (_ctx, actor) => ({ path: '/api/v1/kb/categories', body: { name: `Matrix made by ${actor}` } }),
    expect: writers(201),
  },
  {
    route: 'PATCH /api/v1/kb/categories/:id',
    target: 'none',
    request: () => [
      { path: `/api/v1/kb/categories/${kb.categoryId}`, body: { description: 'Changed by the matrix' } },
      { path: '/api/v1/kb/categories/999999', body: { description: 'Nobody' } },
    ],
    expect: writers(200),
  },
  {
    route: 'DELETE /api/v1/kb/categories/:id',
    target: 'none',
    request: (_ctx, actor) => ({ path: `/api/v1/kb/categories/${kb.deletableCategory[actor]}` }),
    expect: writers(204),
  },
  {
    route: 'GET /api/v1/kb/articles',
    target: 'none',
    request: () => [
      { path: '/api/v1/kb/articles?limit=100' },
      { path: '/api/v1/kb/articles?q=mxkbcommon' },
      { path: `/api/v1/kb/articles?categoryId=${kb.categoryId}&status=draft` },
    ],
    expect: everyone(200),
    check: (ctx, actor, res) => {
      noLeaks(ctx, actor, res)
      if (res.path.includes('status=')) return
      const found = KINDS.filter((k) => res.body.items.some((a: { id: number }) => a.id === kb.ids[k]))
      expect(found, `${actor} ${res.path}`).toEqual(READS[person(actor)])
    },
  },
  {
    route: 'GET /api/v1/kb/suggest',
    target: 'none',
    request: () => ({ path: '/api/v1/kb/suggest?q=mxkbcommon&limit=10' }),
    expect: everyone(200),
    check: (ctx, actor, res) => {
      noLeaks(ctx, actor, res)
      const found = KINDS.filter((k) => res.body.items.some((a: { id: number }) => a.id === kb.ids[k]))
      expect(found).toEqual(READS[person(actor)].filter((k) => k !== 'draft'))
    },
  },
  {
    // The internal article first (its status is the one compared), then each of the others, by slug, old slug
    // and id: readable ones 200 (an old slug 301), the rest 404 exactly as a missing article.
    route: 'GET /api/v1/kb/articles/:ref',
    target: 'none',
    request: () => [
      { path: `/api/v1/kb/articles/${kb.slugs.int}` },
      ...KINDS.flatMap((k) => [
        { path: `/api/v1/kb/articles/${kb.slugs[k]}` },
        { path: `/api/v1/kb/articles/matrix-${k}-old` },
        { path: `/api/v1/kb/articles/${kb.ids[k]}` },
      ]),
      { path: '/api/v1/kb/articles/no-such-article' },
    ],
    expect: { ...agentsOnly(200), anonymous: 404, customerA: 404, customerB: 404, customerC: 404 },
    check: (ctx, actor, res) => {
      noLeaks(ctx, actor, res)
      const k = KINDS.find((x) => res.path.includes(`matrix-${x}`) || res.path.endsWith(`/${kb.ids[x]}`))
      if (!k) return expect(res.status).toBe(404)
      const reads = READS[person(actor)].includes(k)
      expect(res.status, `${actor} ${res.path}`).toBe(reads ? (res.path.endsWith('-old') ? 301 : 200) : 404)
      if (!reads) expect(res.body).toEqual({ error: { code: 'not_found', message: 'No such article.' } })
    },
  },
  {
    route: 'POST /api/v1/kb/articles',
    target: 'none',
    request: (_ctx, actor) => ({ path: '/api/v1/kb/articles', body: { title: `Matrix draft by ${actor}` } }),
    expect: writers(201),
  },
  {
    route: 'PATCH /api/v1/kb/articles/:ref',
    target: 'none',
    request: () => [
      {
        path: `/api/v1/kb/articles/${kb.ids.draft}`,
        body: { body: `<p>mxkbcommon ${word('draft')} again</p>` },
      },
      { path: '/api/v1/kb/articles/999999', body: { title: 'Nobody' } },
    ],
    // The limited agent cannot read a draft at all: 404, as a missing one.
    expect: { ...writers(200), limitedAgent: 404 },
  },
  {
    route: 'DELETE /api/v1/kb/articles/:ref',
    target: 'none',
    request: (_ctx, actor) => ({ path: `/api/v1/kb/articles/${kb.deletableDraft[actor]}` }),
    expect: { ...writers(204), limitedAgent: 404 },
  },
  {
    route: 'GET /api/v1/kb/articles/:ref/revisions',
    target: 'none',
    request: () => [
      { path: `/api/v1/kb/articles/${kb.slugs.pub}/revisions` },
      { path: '/api/v1/kb/articles/999999/revisions' },
    ],
    expect: writers(200),
  },
  {
    route: 'POST /api/v1/kb/articles/:ref/revisions/:number/restore',
    target: 'none',
    request: () => [
      { path: `/api/v1/kb/articles/${kb.slugs.pub}/revisions/1/restore` },
      { path: `/api/v1/kb/articles/${kb.slugs.pub}/revisions/999/restore` },
    ],
    expect: publishers(200),
  },
  {
    route: 'POST /api/v1/kb/articles/:ref/feedback',
    target: 'none',
    request: () => [
      { path: `/api/v1/kb/articles/${kb.slugs.cust}/feedback`, body: { helpful: true } },
      { path: `/api/v1/kb/articles/${kb.slugs.int}/feedback`, body: { helpful: true } },
    ],
    expect: { ...everyone(204), anonymous: 404 },
    check: noLeaks,
  },
  {
    route: 'POST /api/v1/kb/deflection',
    target: 'none',
    request: (_ctx, actor) => ({
      path: '/api/v1/kb/deflection',
      body: { session: `matrix-session-${actor}-0001`, step: 'shown' },
    }),
    expect: everyone(204),
  },
  {
    route: 'GET /api/v1/kb/stats',
    target: 'none',
    request: () => ({ path: '/api/v1/kb/stats' }),
    expect: writers(200),
  },
  {
    route: 'GET /api/v1/kb/articles/:ref/files',
    target: 'none',
    request: () => [
      { path: `/api/v1/kb/articles/${kb.slugs.int}/files` },
      ...KINDS.map((k) => ({ path: `/api/v1/kb/articles/${kb.ids[k]}/files` })),
    ],
    expect: { ...agentsOnly(200), anonymous: 404, customerA: 404, customerB: 404, customerC: 404 },
    check: (_ctx, actor, res) => {
      const k = KINDS.find((x) => res.path.includes(`/${kb.ids[x]}/`) || res.path.includes(`matrix-${x}/`))!
      expect(res.status, `${actor} ${res.path}`).toBe(READS[person(actor)].includes(k) ? 200 : 404)
    },
  },
  ...['GET /api/v1/kb/files/:id', 'GET /api/v1/kb/files/:id/:name'].map((route): RouteCase => ({
    route,
    target: 'none',
    request: () => [
      { path: route.endsWith(':name') ? kb.files.int.url : `/api/v1/kb/files/${kb.files.int.id}` },
      ...KINDS.map((k) => ({ path: kb.files[k].url })),
      { path: '/api/v1/kb/files/999999' },
    ],
    expect: { ...agentsOnly(200), anonymous: 404, customerA: 404, customerB: 404, customerC: 404 },
    check: (_ctx, actor, res) => {
      const k = KINDS.find((x) => res.path.includes(`/${kb.files[x].id}`))
      if (!k) return expect(res.status).toBe(404)
      expect(res.status, `${actor} ${res.path}`).toBe(READS[person(actor)].includes(k) ? 200 : 404)
    },
  })),
  {
    route: 'POST /api/v1/kb/articles/:ref/files',
    target: 'none',
    // An upload nobody has: those who may change the published article learn it is unknown.
    request: () => ({ path: `/api/v1/kb/articles/${kb.ids.pub}/files`, body: { uploads: [999999] } }),
    expect: publishers(400),
  },
  {
    route: 'DELETE /api/v1/kb/files/:id',
    target: 'none',
    request: () => ({ path: '/api/v1/kb/files/999999' }),
    expect: agentsOnly(404),
  },
  {
    route: 'GET /api/v1/kb/settings',
    target: 'none',
    request: () => ({ path: '/api/v1/kb/settings' }),
    expect: adminOnly(200),
  },
  {
    route: 'PUT /api/v1/kb/settings',
    target: 'none',
    // An empty choice: what the desk starts with, so later cases see the same desk.
    request: () => ({ path: '/api/v1/kb/settings', body: { autoresponseDepartmentIds: [] } }),
    expect: adminOnly(200),
  },
]
