// Access-matrix cases for the web app's routes: the single-page app itself, the live stream, presence on a
// ticket and the queue counts.
import { expect } from 'vitest'
import { agentsOnly, everyone, signedIn, type RouteCase } from './types.ts'

export const cases: RouteCase[] = [
  {
    // Any path the app owns answers its index.html, whoever asks; the app then asks the API who is signed in.
    route: 'GET /*',
    target: 'none',
    request: () => [{ path: '/agent/queues/open' }, { path: '/portal/tickets/100001' }],
    expect: everyone(200),
  },
  {
    route: 'GET /api/v1/events',
    target: 'none',
    request: () => ({ path: '/api/v1/events' }),
    expect: signedIn(200),
  },
  {
    // Presence on a ticket: agents who can see it; for the rest it is the missing ticket's 404.
    route: 'POST /api/v1/tickets/:number/presence',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/presence`,
      body: { state: 'viewing' },
    }),
    expect: { ...agentsOnly(200), admin: 404 },
  },
  {
    route: 'GET /api/v1/queues',
    target: 'none',
    request: () => ({ path: '/api/v1/queues' }),
    expect: agentsOnly(200),
    check: (_ctx, _actor, res) => {
      if (res.status !== 200) return
      expect(res.body.items.slice(0, 3).map((q: { key: string }) => q.key)).toEqual([
        'mine',
        'open',
        'unassigned',
      ])
    },
  },
]
