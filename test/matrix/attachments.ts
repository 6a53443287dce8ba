// Access-matrix cases for issue 11's attachment routes. Uploading needs multipart: a JSON body from anyone
// signed in is refused 415 `multipart_required` after the guard (test/attachments.test.ts uploads for real,
// and checks that a customer never gets a note's file). A file on a ticket is served only through that ticket.
import { signedIn, type RouteCase } from './types.ts'

const MISSING_ID = 999_999

export const cases: RouteCase[] = [
  {
    route: 'POST /api/v1/uploads',
    target: 'none',
    request: () => ({ path: '/api/v1/uploads', body: {} }),
    expect: signedIn(415),
  },
  {
    route: 'GET /api/v1/tickets/:number/attachments/:id/preview',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/attachments/${MISSING_ID}/preview`,
    }),
    expect: signedIn(404),
  },
]
