// Access-matrix cases for ticket relationships (issue 12). The write cases change nothing: merging a ticket
// into itself is refused after the permission check (400 merge_into_self), and unmerging a ticket that is not
// merged answers 409 not_merged.
import { expect } from 'vitest'
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

/** Agents who may see the ticket (links are agents' filing, as tags are). */
const agentViewers = { ...signedIn(200), customerA: 403, customerB: 403, customerC: 403, admin: 404 }
/** Agents with ticket.edit on the ticket answer `ok`; Limited Access has none; John only follows TX. */
const editors = (ok: number) => ({ ...mergers(ok) })

cases.push(
  {
    route: 'GET /api/v1/tickets/:number/links',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/links` }),
    expect: agentViewers,
  },
  {
    // Linking a ticket to itself is refused after the permission check: nothing changes.
    route: 'POST /api/v1/tickets/:number/links',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/links`,
      body: { number, kind: 'related' },
    }),
    expect: editors(400),
  },
  {
    route: 'DELETE /api/v1/tickets/:number/links',
    target: 'ticket',
    request: (ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/links`,
      body: { number: ctx.missingNumber },
    }),
    expect: editors(404),
  },
  {
    // An entry that is not on the ticket: refused after the permission check.
    route: 'POST /api/v1/tickets/:number/split',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/split`,
      body: { entryIds: [2_000_000_000] },
    }),
    expect: editors(400),
  },
)

/** A task that does not exist, on a ticket the agent may see: 404 after the ticket's access check. */
const missingTask = { ...signedIn(404), customerA: 403, customerB: 403, customerC: 403 }

cases.push(
  {
    route: 'GET /api/v1/tickets/:number/tasks',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({ path: `/api/v1/tickets/${number}/tasks` }),
    expect: agentViewers,
  },
  {
    // An unknown assignee: refused after the permission check, so no task is added.
    route: 'POST /api/v1/tickets/:number/tasks',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/tasks`,
      body: { title: 'Matrix task', assigneeAgentId: 2_000_000_000 },
    }),
    expect: editors(400),
  },
  {
    route: 'PATCH /api/v1/tickets/:number/tasks/:id',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/tasks/2000000000`,
      body: { completed: true },
    }),
    expect: missingTask,
  },
  {
    route: 'POST /api/v1/tickets/:number/tasks/:id/notes',
    target: 'ticket',
    request: (_ctx, _actor, number) => ({
      path: `/api/v1/tickets/${number}/tasks/2000000000/notes`,
      body: { body: 'Matrix note' },
    }),
    expect: missingTask,
  },
  {
    route: 'GET /api/v1/tasks',
    target: 'none',
    request: () => ({ path: '/api/v1/tasks' }),
    expect: { ...signedIn(200), customerA: 403, customerB: 403, customerC: 403 },
    check: (_ctx, _actor, res) => {
      if (res.status === 200) expect(res.body.items).toEqual([])
    },
  },
)
