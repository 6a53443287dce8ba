// Access-matrix cases for a ticket's collaborators (issue 9): anyone who may see the ticket may list them;
// only agents with ticket.edit on it may add or remove them. The write cases change nothing: an agent's address
// is refused after the permission check (400 collaborator_is_agent), and removing someone who is not a
// collaborator answers 404.
import { signedIn, type RouteCase } from './types.ts'

const editors = {
  ...signedIn(0),
  customerA: 403,
  customerB: 403,
  customerC: 403,
  // Limited Access has no ticket.edit; John only follows TX (now in Billing).
  limitedAgent: 403,
  admin: 404,
}

export const cases: RouteCase[] = [
  {
    route: 'GET /api/v1/tickets/:number/collaborators',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/collaborators` }),
    expect: { ...signedIn(200), admin: 404 },
  },
  {
    route: 'POST /api/v1/tickets/:number/collaborators',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/collaborators`,
      body: { email: 'sam@example.com' },
    }),
    expect: { ...editors, deptAgent: { TA: 400, TB: 400, TX: 403 }, otherDeptAgent: 400 },
  },
  {
    route: 'DELETE /api/v1/tickets/:number/collaborators/:userId',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/collaborators/999999` }),
    expect: { ...editors, deptAgent: { TA: 404, TB: 404, TX: 403 }, otherDeptAgent: 404 },
  },
]
