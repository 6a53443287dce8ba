// Access-matrix cases for issue 13: a person's own sessions (anyone signed in, their own only: someone else's
// session is "not found") and Mail preview (admins only; it holds reset and sign-in links).
import { expect } from 'vitest'
import { Client } from '../support/client.ts'
import { adminOnly, signedIn, type MatrixContext, type RouteCase } from './types.ts'

const state = { samSessionId: '', previewId: 0 }

export async function setup(ctx: MatrixContext): Promise<void> {
  const anon = new Client(ctx.server.url)
  // Account mail, kept in Mail preview (no SMTP_URL in the matrix).
  expect((await anon.post('/api/v1/auth/password-reset', { email: 'lena@example.com' })).status).toBe(202)
  await ctx.server.settle()
  const kept = await ctx.server.app.db.read
    .selectFrom('mail_previews')
    .select('id')
    .where('kind', '=', 'password_reset')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  state.previewId = kept.id
}

export const cases: RouteCase[] = [
  {
    route: 'POST /api/v1/auth/logout-everywhere',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/logout-everywhere', body: {} }),
    expect: signedIn(204),
    endsSessions: true,
  },
  {
    route: 'GET /api/v1/me/sessions',
    target: 'none',
    request: () => ({ path: '/api/v1/me/sessions' }),
    expect: signedIn(200),
    check: (_ctx, _actor, res) => {
      if (res.status !== 200) return
      const items = res.body.items as { current: boolean; id: string }[]
      // A person sees their own sessions only; a session's id is not its token (43 characters, base64url).
      expect(items.length).toBeGreaterThan(0)
      for (const s of items) expect(s.id).not.toMatch(/^[\w-]{43}$/)
    },
    // A session of Sam's besides the matrix's own, for the one delete below that succeeds. Made here, just
    // before that case runs, so that no earlier "sign out everywhere" case has ended it.
    after: async (ctx) => {
      const extra = await new Client(ctx.server.url).as('sam@example.com')
      const mine = (await extra.get('/api/v1/me/sessions')).body.items as { id: string; current: boolean }[]
      state.samSessionId = mine.find((s) => s.current)!.id
    },
  },
  {
    route: 'DELETE /api/v1/me/sessions/:id',
    target: 'none',
    request: () => [
      { path: `/api/v1/me/sessions/${state.samSessionId}` },
      { path: '/api/v1/me/sessions/missing' },
    ],
    expect: { ...signedIn(404), otherDeptAgent: 204 },
    check: (_ctx, _actor, res) => {
      if (res.path.endsWith('/missing') && res.status === 204) throw new Error('a missing session was ended')
    },
  },
  {
    route: 'GET /api/v1/admin/mail-preview',
    target: 'none',
    request: () => ({ path: '/api/v1/admin/mail-preview' }),
    expect: adminOnly(200),
  },
  {
    route: 'GET /api/v1/admin/mail-preview/:id',
    target: 'none',
    request: () => ({ path: `/api/v1/admin/mail-preview/${state.previewId}` }),
    expect: adminOnly(200),
  },
]
