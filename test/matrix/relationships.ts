// Access-matrix cases for ticket relationships (issue 12). The write cases change nothing: merging a ticket
// into itself is refused after the permission check (400 merge_into_self), and unmerging a ticket that is not
// merged answers 409 not_merged.
import { signedIn, type RouteCase } from './types.ts'

/** Agents with ticket.merge on the ticket answer `ok`; Limited Access has no ticket.merge; John only follows TX. */
const mergers = (ok: number) => ({
  ...signedIn(0),
  customerA: 403,
  customerB: 403,
  customerC: 403,
  limitedAgent: 403,
  admin: 404,
  deptAgent: { TA: ok, TB: ok, TX: 403 },
  otherDeptAgent: ok,
})

export const cases: RouteCase[] = [
  {
    route: 'POST /api/v1/tickets/:number/merge',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/merge`,
      body: { into: number, version: 1 },
    }),
    expect: mergers(400),
  },
  {
    route: 'POST /api/v1/tickets/:number/unmerge',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/unmerge`, body: {} }),
    expect: mergers(409),
  },
]
