// The customers copied on a ticket. They see it and receive its public replies as the requester does, so only
// an agent who may edit the ticket adds or removes them, and every change is an event with its channel
// (mail adds them too, through recordIntake, only when the mail proved itself: see receiveEmail).
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { badRequest, notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { canSeeTicket } from '../policies/ticketPolicy.ts'
import {
  collaboratorsOf,
  deleteCollaborator,
  insertCollaborator,
  type CollaboratorRow,
} from '../repositories/collaboratorRepo.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { findTicketByNumber } from '../repositories/ticketRepo.ts'
import { findOrCreateCustomer, findUserById } from '../repositories/userRepo.ts'
import { email, nonBlank } from './fields.ts'
import { accessFacts, lockVisibleTicket, requireTicketEdit } from './ticketAccess.ts'
import { recordTicketChanges, ticketSummary } from './ticketWrites.ts'

/** As in osTicket: by email address; an address without an account becomes a customer account. */
export const AddCollaborator = z.object({
  email,
  name: nonBlank(120).optional().describe('For a new account; an existing one keeps its name'),
})
export type AddCollaborator = z.infer<typeof AddCollaborator>

/** At most this many people are copied on a new ticket (the portal form, the API). */
export const COLLABORATORS_ON_CREATE_MAX = 10

/**
 * The people the creator of a ticket copies on it, inside the creating transaction: a customer copying
 * colleagues on their own ticket, or an agent opening one for a caller. Only customers: an agent's address is
 * refused (agents see tickets through their departments); the requester's own is left out. Returns the ids
 * added, for the ticket's collaborators.added event.
 */
export async function copyOnNewTicket(
  trx: Kysely<DB>,
  ticket: { id: number; requesterId: number },
  emails: readonly string[],
  at: number,
): Promise<number[]> {
  const added: number[] = []
  for (const address of new Set(emails)) {
    const user = await findOrCreateCustomer(trx, { email: address }, at)
    if (user.type !== 'customer')
      throw badRequest(
        'collaborator_is_agent',
        `${address} is an agent's address: agents see tickets through their departments, or by following them.`,
      )
    if (user.id === ticket.requesterId || added.includes(user.id)) continue
    if (await insertCollaborator(trx, ticket.id, user.id, at)) added.push(user.id)
  }
  return added
}

/** Anyone who may see the ticket may see who else is on it (the Cc of every mail about it says as much). */
export async function listCollaborators(app: App, actor: Actor, number: string): Promise<CollaboratorRow[]> {
  const row = await findTicketByNumber(app.db.read, number)
  if (!row || !canSeeTicket(actor, await accessFacts(app.db.read, row, actor))) throw notFound('ticket')
  return collaboratorsOf(app.db.read, row.id)
}

export async function addTicketCollaborator(
  app: App,
  actor: Actor,
  number: string,
  input: AddCollaborator,
  meta: { channel: Channel },
): Promise<{ collaborator: CollaboratorRow; added: boolean }> {
  return app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    const agent = requireTicketEdit(actor, facts, 'Changing who is copied on a ticket')
    const at = app.clock.now()
    const user = await findOrCreateCustomer(trx, { email: input.email, name: input.name }, at)
    if (user.type !== 'customer')
      throw badRequest(
        'collaborator_is_agent',
        'That address is an agent’s: agents see tickets through their departments, or by following them.',
      )
    if (user.id === row.requester_id)
      throw badRequest('collaborator_is_requester', 'That address is the ticket’s requester.')
    const added = await insertCollaborator(trx, row.id, user.id, at)
    if (added)
      await recordTicketChanges(trx, {
        ticket: ticketSummary(row),
        actor: agent,
        channel: meta.channel,
        at,
        changes: [{ type: 'collaborators.added', after: { userIds: [user.id] } }],
        happenings: [],
      })
    return { collaborator: { id: user.id, name: user.name, email: user.email }, added }
  })
}

export async function removeTicketCollaborator(
  app: App,
  actor: Actor,
  number: string,
  userId: number,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    const agent = requireTicketEdit(actor, facts, 'Changing who is copied on a ticket')
    if (!(await deleteCollaborator(trx, row.id, userId))) throw notFound('collaborator')
    const user = await findUserById(trx, userId)
    await recordTicketChanges(trx, {
      ticket: ticketSummary(row),
      actor: agent,
      channel: meta.channel,
      at: app.clock.now(),
      changes: [
        { type: 'collaborators.removed', before: { userIds: [userId], emails: [user?.email ?? null] } },
      ],
      happenings: [],
    })
  })
}
