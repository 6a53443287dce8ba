// Access-matrix cases for "check a ticket's status": asking for a sign-in link to a ticket and redeeming one.
// Both are public; whoever calls, the request answers the same 202 and a bad token the same 400.
import { expect } from 'vitest'
import { everyone, type RouteCase } from './types.ts'

export const cases: RouteCase[] = [
  {
    route: 'POST /api/v1/auth/ticket-link',
    target: 'none',
    // Customer B's email with customer A's ticket: a number and someone's email, but not the requester's.
    request: (ctx) => ({
      path: '/api/v1/auth/ticket-link',
      body: { email: 'bea@acme.test', number: ctx.tickets.TA.number },
    }),
    expect: everyone(202),
    check: (_ctx, _actor, res) =>
      expect(res.body).toEqual({
        // No SMTP_URL in the matrix: the answer says the mail is kept, the same for everyone (issue 13).
        message:
          'If that ticket is yours, we sent a link to that address. It works once, for 30 minutes. This help ' +
          'desk does not send email yet: an admin can find the message under Admin › Mail preview.',
      }),
  },
  {
    route: 'POST /api/v1/auth/ticket-link/redeem',
    target: 'none',
    request: () => ({ path: '/api/v1/auth/ticket-link/redeem', body: { token: 'not-a-token' } }),
    expect: everyone(400),
    check: (_ctx, _actor, res) => expect(res.body.error.code).toBe('invalid_ticket_link'),
  },
]
