// Access-matrix cases for formatted messages (issue 11): the sandboxed document of a formatted entry, for whoever
// may see the ticket. The matrix tickets have no formatted entries, so every signed-in caller gets 404 (a missing
// entry and a ticket they may not see look alike); test/formatted.test.ts reads real ones, and a note's as a
// customer (404).
import { signedIn, type RouteCase } from './types.ts'

export const cases: RouteCase[] = [
  {
    route: 'GET /api/v1/tickets/:number/messages/:entryId/html',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/messages/999999/html` }),
    expect: signedIn(404),
  },
]
