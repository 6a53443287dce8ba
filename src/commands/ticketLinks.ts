// "Check a ticket's status" without a password: a customer gives their email and a ticket number, and when the
// ticket is theirs (as requester or collaborator) we mail a single-use sign-in link valid 30 minutes. Knowing an
// email and a (sequential) ticket number is not enough to read a ticket: the link goes to the account's inbox.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { Origin } from '../domain/origin.ts'
import { badRequest } from '../errors.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { enqueue } from '../repositories/outboxRepo.ts'
import { canSeeTicket } from '../policies/ticketPolicy.ts'
import { claimLink, countLinksSince, insertLink } from '../repositories/ticketLinkRepo.ts'
import { findTicketByNumber } from '../repositories/ticketRepo.ts'
import { findUserByEmail } from '../repositories/userRepo.ts'
import { loadActor, sha256, startSession, type SessionGrant } from './auth.ts'
import { accessFacts } from './ticketAccess.ts'
import { email, text } from './fields.ts'

export const RequestTicketLink = z.object({
  email: z.string().max(254),
  number: z.string().max(64).describe('The ticket number, with or without a leading #'),
})
export const RedeemTicketLink = z.object({ token: text(200) })

export const TICKET_LINK_TTL_MS = 30 * 60_000
/** At most this many links per account in one TICKET_LINK_TTL_MS, so the form cannot flood an inbox. */
const LINKS_PER_WINDOW = 3
export const TICKET_LINK_TOPIC = 'email.ticket_link'

/** The payload of an `email.ticket_link` outbox row, for the mail sender. */
export interface TicketLinkEmail {
  userId: number
  to: string
  name: string
  ticketNumber: string
  subject: string
  /** Append to the public base URL. The token is in the fragment, so it never reaches a server log or Referer. */
  path: string
  expiresAt: number
}

/**
 * Emails a sign-in link when the address is an active customer's and the ticket is theirs. The caller answers
 * the same either way, and every path writes one audit event in one transaction, so neither the answer nor its
 * timing tells whether anything matched.
 */
export async function requestTicketLink(
  app: App,
  input: z.infer<typeof RequestTicketLink>,
  origin: Origin,
): Promise<void> {
  const parsed = email.safeParse(input.email)
  const user = parsed.success ? await findUserByEmail(app.db.read, parsed.data) : undefined
  const customer = user !== undefined && user.is_active === 1 && user.type === 'customer' ? user : undefined
  // Ticket numbers are digits; anything else (NUL included, which PostgreSQL refuses) matches nothing.
  const number = input.number.trim().replace(/^#/, '')
  const actor = customer && /^\d{1,20}$/.test(number) ? await loadActor(app.db.read, customer.id) : undefined
  const row = actor ? await findTicketByNumber(app.db.read, number) : undefined
  // The same rule as the ticket's detail view: the link is sent only for a ticket this customer may open.
  const ticket =
    actor && row && canSeeTicket(actor, await accessFacts(app.db.read, row, actor)) ? row : undefined
  const token = randomBytes(32).toString('base64url')
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    let sent = false
    if (customer && ticket) {
      if ((await countLinksSince(trx, customer.id, at - TICKET_LINK_TTL_MS)) < LINKS_PER_WINDOW) {
        const expiresAt = at + TICKET_LINK_TTL_MS
        await insertLink(trx, {
          tokenHash: sha256(token),
          userId: customer.id,
          ticketId: ticket.id,
          createdAt: at,
          expiresAt,
        })
        const message: TicketLinkEmail = {
          userId: customer.id,
          to: customer.email,
          name: customer.name,
          ticketNumber: ticket.number,
          subject: ticket.subject,
          path: `/portal/ticket-link#token=${token}`,
          expiresAt,
        }
        await enqueue(trx, TICKET_LINK_TOPIC, message, at)
        sent = true
      }
    }
    await insertEvents(
      trx,
      [
        {
          // No ticket is named: the audit log shows admins account events, and tickets only to those who see them.
          ticketId: null,
          actorId: customer && ticket ? customer.id : null,
          type: 'auth.ticket_link_requested',
          channel: 'web',
          after: { matched: ticket !== undefined, sent },
          at,
        },
      ],
      origin,
    )
  })
}

const invalidTicketLink = () =>
  badRequest(
    'invalid_ticket_link',
    'This link is not valid: it was used already or has expired. Ask for a new one.',
  )

/** Signs the customer in from a ticket link (once, until it expires) and says which ticket to open. */
export async function redeemTicketLink(
  app: App,
  input: z.infer<typeof RedeemTicketLink>,
  origin: Origin,
): Promise<{ grant: SessionGrant; ticketNumber: string }> {
  const tokenHash = sha256(input.token)
  const now = app.clock.now()
  const link = await app.db.transact(async (trx) => {
    // Claimed inside the transaction, so two racing requests cannot both use it.
    const claimed = await claimLink(trx, tokenHash, now)
    if (!claimed) throw invalidTicketLink()
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: claimed.userId,
          type: 'auth.ticket_link_used',
          channel: 'web',
          at: now,
        },
      ],
      origin,
    )
    return claimed
  })
  return { grant: await startSession(app, link.userId, origin), ticketNumber: link.ticketNumber }
}
