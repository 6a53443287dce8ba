// The access matrix, as data. Every route of the server needs one RouteCase, in a file of this folder (one
// file per area: core.ts for the foundation, and one per feature). test/accessMatrix.test.ts loads every file
// here, calls each route as each actor, and fails for any route that has no case.
import type { TestServer } from '../support/testServer.ts'

/** The people (and tokens) every route is called as. */
export const ACTORS = [
  'anonymous',
  /** Ken Adams, organisation Acme. */
  'customerA',
  /** Another customer of Acme. */
  'customerB',
  /** A customer of Globex. */
  'customerC',
  /** John Doe: Support, Expanded Access. */
  'deptAgent',
  /** Support, Limited Access (no edit, no close). */
  'limitedAgent',
  /** Sam Roe: Billing, All Access. */
  'otherDeptAgent',
  /** The admin: no department, so no tickets (admin rights are for the admin area, as in osTicket). */
  'admin',
  /** A personal access token of John's with the `read` scope only (expected: derived from deptAgent). */
  'tokenRead',
  /** A revoked personal access token of John's (expected: derived from anonymous). */
  'tokenRevoked',
] as const
export type ActorName = (typeof ACTORS)[number]
/** The actors whose expectations a case states; the token actors are derived (see accessMatrix.test.ts). */
export type PersonName = Exclude<ActorName, 'tokenRead' | 'tokenRevoked'>

/**
 * The tickets of the matrix.
 * - TA: customer A's, in Support, with an internal note.
 * - TB: customer B's (same organisation as A), in Support.
 * - TC: customer C's, in Billing, with an internal note.
 * - TX: customer A's, opened in Support, assigned to the limited agent, then transferred to Billing by John (who
 *   keeps following it) — the limited agent had a notification about it and must no longer see it anywhere.
 */
export const TICKETS = ['TA', 'TB', 'TC', 'TX'] as const
export type TicketKey = (typeof TICKETS)[number]

export interface MatrixTicket {
  number: string
  subject: string
  /** A word that occurs only in this ticket's subject. */
  subjectWord: string
  /** A word that occurs only in this ticket's internal notes (absent for TB). */
  noteWord: string | null
}

export interface MatrixContext {
  server: TestServer
  tickets: Record<TicketKey, MatrixTicket>
  /** A ticket number that does not exist. */
  missingNumber: string
  /** Which tickets each person may see: the oracle, written out independently of the policy code. */
  sees: Record<PersonName, readonly TicketKey[]>
  /** A word in every matrix ticket's subject. */
  commonWord: string
  ids: {
    billingDepartmentId: number
    supportDepartmentId: number
    otherDeptAgentTokenId: number
    /** A personal saved view of the department agent's (John's). */
    deptAgentViewId: number
  }
}

export interface MatrixRequest {
  path: string
  body?: unknown
  headers?: Record<string, string>
}

/** An expected status, or one per ticket when the answer differs by ticket (for tickets the actor sees). */
export type Expected = number | Partial<Record<TicketKey, number>>

export interface RouteCase {
  /** The route table's method and url, e.g. `GET /api/v1/tickets/:number`. */
  route: string
  /**
   * `ticket`: the route acts on the ticket in its `:number` param, and is called on every matrix ticket and on
   * a missing one. For tickets the actor may not see, the answer must equal the missing ticket's, byte for byte.
   * `none`: called once per actor.
   */
  target: 'ticket' | 'none'
  request(ctx: MatrixContext, actor: PersonName, ticketNumber: string): MatrixRequest | MatrixRequest[]
  /** The status each person gets (on a ticket they can see, for `ticket` routes). */
  expect: Record<PersonName, Expected>
  /**
   * The answer repeats the ticket numbers the request sent (bulk changes): a number the caller gave reveals
   * nothing, so only subjects and notes count as leaks; `check` must prove hidden tickets answer as missing ones.
   */
  echoesNumbers?: boolean
  /** The call ends the actor's sessions (sign-out): the harness signs everyone in again afterwards. */
  endsSessions?: boolean
  /** Extra assertions on one answer (lists: exactly the visible tickets; no notes for customers…). */
  check?(ctx: MatrixContext, actor: ActorName, res: { status: number; body: any; path: string }): void
  /** Puts back what the case changed, when later cases depend on it. */
  after?(ctx: MatrixContext): Promise<void>
}

/** Cases for routes that are not part of the API proper (documentation assets): still called, as anonymous. */
export const everyone = (status: number): Record<PersonName, number> => ({
  anonymous: status,
  customerA: status,
  customerB: status,
  customerC: status,
  deptAgent: status,
  limitedAgent: status,
  otherDeptAgent: status,
  admin: status,
})

/** `signedIn` for every signed-in person, 401 for anonymous. */
export const signedIn = (status: number): Record<PersonName, number> => ({
  ...everyone(status),
  anonymous: 401,
})

/** `agents` for agents and the admin, 403 for customers, 401 for anonymous. */
export const agentsOnly = (status: number): Record<PersonName, number> => ({
  ...signedIn(status),
  customerA: 403,
  customerB: 403,
  customerC: 403,
})

export const adminOnly = (status: number): Record<PersonName, number> => ({
  ...agentsOnly(403),
  admin: status,
})

/** Whose view a token actor has: John's for his read token; nobody's (anonymous) for a revoked one. */
export function personOf(actor: ActorName): PersonName {
  if (actor === 'tokenRead') return 'deptAgent'
  if (actor === 'tokenRevoked') return 'anonymous'
  return actor
}

export const isCustomer = (actor: ActorName) => personOf(actor).startsWith('customer')
