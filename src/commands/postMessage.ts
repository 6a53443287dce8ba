import { z } from 'zod'
import type { Kysely } from 'kysely'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { nextTicketId, nextTicketNumber } from '../db/dialect.ts'
import { BODY_MAX, type EntryKind } from '../domain/tickets.ts'
import { badRequest, forbidden, notFound } from '../errors.ts'
import { accessFacts } from './ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import { agentPermissions, canSeeTicket, type TicketAccessFacts } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import {
  findTicketById,
  lockTicketById,
  lockTicketByNumber,
  type TicketListRow,
} from '../repositories/ticketRepo.ts'
import { insertEntry } from '../repositories/threadRepo.ts'
import { id, nonBlank } from './fields.ts'
import { formattedBody, htmlField } from './formatted.ts'
import { attachUploads } from './uploads.ts'
import { addCollaborator, recordIntake, type Intake } from './intake.ts'
import type { Happening } from './ticketNotifications.ts'
import { recordTicketChanges, type Change } from './ticketWrites.ts'
import { runAutomation } from './ticketAutomation.ts'
import { signaturesFor, signed, signedHtml } from './signatures.ts'

export const PostMessage = z.object({
  /** Plain text; optional when bodyHtml is given (the text copy is then made from the HTML). */
  body: nonBlank(BODY_MAX).optional(),
  bodyHtml: htmlField.optional(),
  /** Agents only: true makes the entry an internal note, which customers never see. */
  internal: z.boolean().default(false),
  attachments: z
    .array(id)
    .max(100)
    .optional()
    .describe('Ids of your own uploads (POST /api/v1/uploads) to attach to this entry'),
  /** Agents' public replies: false leaves out the agent's and the department's signature (default: added). */
  signature: z.boolean().optional(),
})
export type PostMessage = z.infer<typeof PostMessage>

export interface Posted {
  entryId: number
  kind: EntryKind
  ticket: TicketListRow
  /** Set when a customer wrote on a closed ticket: the message opened this new ticket instead. */
  followUpOf?: string
}

/**
 * Adds a customer message, a public agent response or an internal note. A customer's message reopens a
 * resolved ticket; on a closed ticket it opens a follow-up ticket that links back (closed stays closed).
 */
export async function postMessage(
  app: App,
  actor: Actor,
  number: string,
  input: PostMessage,
  meta: { channel: Channel; intake?: Intake },
): Promise<Posted> {
  const result = await app.db.transact((trx) => postMessageIn(app, trx, actor, number, input, meta))
  const ticket = (await findTicketById(app.db.read, result.ticketId))!
  return {
    entryId: result.entryId,
    kind: result.kind,
    ticket,
    ...(result.followUpOf ? { followUpOf: result.followUpOf } : {}),
  }
}

/** The same inside the caller's transaction (a macro's reply commits with its other actions). */
export async function postMessageIn(
  app: App,
  trx: Kysely<DB>,
  actor: Actor,
  number: string,
  input: PostMessage,
  meta: { channel: Channel; intake?: Intake },
  /** Set when writing on a merged ticket the actor may see, into the ticket it was merged into. */
  via?: { originTicketId: number },
): Promise<{ ticketId: number; entryId: number; kind: EntryKind; followUpOf: string | undefined }> {
  const { intake } = meta
  const formatted = await formattedBody(input.body, input.bodyHtml, 'body')
  if (actor.kind === 'customer' && input.internal) {
    throw badRequest('internal_not_allowed', 'Customers cannot write internal notes.')
  }
  const { dialect } = app.db
  const row = await lockTicketByNumber(dialect, trx, number)
  if (!row) throw notFound('ticket')
  const at = app.clock.now()
  // A mail sender who proved they were on the thread (a verified reference) joins it, as in osTicket.
  const joined =
    actor.kind === 'customer' &&
    intake?.joinThread === true &&
    row.requester_id !== actor.id &&
    (await addCollaborator(trx, row.id, actor.id, at))
  const known = await accessFacts(trx, row, actor)
  const facts: TicketAccessFacts = { ...known, collaboratingActor: known.collaboratingActor || joined }
  if (!via && !canSeeTicket(actor, facts)) throw notFound('ticket')
  if (row.merged_into_id !== null) {
    // A merged ticket's number keeps working: what is written on it joins the ticket it was merged into. Someone
    // who may not open that ticket (the other requester's) writes there as on their own ticket: the entry keeps
    // its origin, so the target's requester never reads it, and nobody joins the target as a collaborator.
    const target = await lockTicketById(dialect, trx, row.merged_into_id)
    if (target) {
      const targetFacts = await accessFacts(trx, target, actor)
      if (canSeeTicket(actor, targetFacts)) return postMessageIn(app, trx, actor, target.number, input, meta)
      if (actor.kind === 'agent')
        throw forbidden(`This ticket was merged into #${target.number}, which you may not open.`)
      if (app.statuses.categoryOf(target.status) !== 'closed' || target.merged_into_id !== null)
        return postMessageIn(
          app,
          trx,
          actor,
          target.number,
          input,
          { ...meta, ...(intake ? { intake: { ...intake, joinThread: false, collaborators: [] } } : {}) },
          { originTicketId: via?.originTicketId ?? row.id },
        )
      // The target is closed for good: the customer's message opens a follow-up of their own ticket below.
    }
  }

  const category = app.statuses.categoryOf(row.status)
  let ticketId = row.id
  let ticketNumber = row.number
  let followUpOf: string | undefined
  // Bounces and auto-replies are kept as notes: they never reopen a ticket nor reach the customer.
  const kind: EntryKind =
    intake?.autoReply || (actor.kind === 'agent' && input.internal)
      ? 'note'
      : actor.kind === 'customer'
        ? 'message'
        : 'response'
  if (kind === 'response' && actor.kind === 'agent' && !agentPermissions(actor, facts).has('ticket.reply')) {
    throw forbidden('You may not reply to the customer on this ticket (needs ticket.reply).')
  }
  const changes: Change[] = []
  const happenings: Happening[] = []
  const status = app.statuses.reopenKey()

  if (kind === 'message' && category === 'closed') {
    ticketId = await nextTicketId(dialect, trx)
    ticketNumber = await nextTicketNumber(dialect, trx)
    followUpOf = row.number
    await trx
      .insertInto('tickets')
      .values({
        id: ticketId,
        number: ticketNumber,
        subject: row.subject,
        department_id: row.department_id,
        requester_id: row.requester_id,
        priority: row.priority,
        status,
        source: meta.channel === 'api' ? 'api' : meta.channel === 'email' ? 'email' : 'web',
        follow_up_of_id: row.id,
        created_at: at,
        updated_at: at,
        last_activity_at: at,
      })
      .execute()
    await app.db.indexForSearch(trx, [{ ticketId, entryId: null, content: row.subject, internal: false }])
    changes.push({
      type: 'ticket.created',
      after: { followUpOf: row.number, status, departmentId: row.department_id },
    })
  } else if (kind === 'message' && category === 'resolved') {
    await trx
      .updateTable('tickets')
      .set({ status, closed_at: null, version: row.version + 1, updated_at: at, last_activity_at: at })
      .where('id', '=', row.id)
      .execute()
    changes.push({ type: 'ticket.reopened', before: { status: row.status }, after: { status } })
    happenings.push({ kind: 'reopened' })
  } else {
    await trx
      .updateTable('tickets')
      .set({ updated_at: at, last_activity_at: at })
      .where('id', '=', row.id)
      .execute()
  }

  // An agent's public reply carries their signature and the department's; notes and customers' messages never.
  const signatures =
    kind === 'response' && actor.kind === 'agent' && input.signature !== false
      ? await signaturesFor(trx, actor.id, row.department_id)
      : undefined
  const body = signatures ? signed(formatted.body, signatures) : formatted.body
  const html = signatures && formatted.html !== null ? signedHtml(formatted.html, signatures) : formatted.html
  const entryId = await insertEntry(trx, {
    ticketId,
    kind,
    body,
    html,
    authorId: actor.id,
    at,
    ...(via && ticketId === row.id ? { originTicketId: via.originTicketId } : {}),
  })
  if (intake) {
    const { collaboratorsAdded } = await recordIntake(app, trx, {
      ticketId,
      entryId,
      requesterId: row.requester_id,
      at,
      intake,
    })
    const added = [...(joined && ticketId === row.id ? [actor.id] : []), ...collaboratorsAdded]
    if (added.length > 0) changes.push({ type: 'collaborators.added', after: { userIds: added } })
  }
  await attachUploads(app, trx, actor, input.attachments ?? [], { ticketId, entryId, at })
  // An entry kept apart from the target's requester is indexed as internal, so their search never finds it.
  await app.db.indexForSearch(trx, [
    { ticketId, entryId, content: body, internal: kind === 'note' || via !== undefined },
  ])
  changes.push({ type: `${kind}.added`, after: { entryId } })
  if (followUpOf === undefined) happenings.push({ kind })

  const isFollowUp = followUpOf !== undefined
  const automated = await runAutomation(app, trx, {
    ticketId,
    event: isFollowUp ? 'ticket.created' : kind === 'message' ? 'message.received' : null,
    actor,
    channel: meta.channel,
    at,
    messageBody: body,
    statusBefore: isFollowUp ? null : row.status,
    created: isFollowUp,
    customerMessage: kind === 'message',
    agentResponse: kind === 'response',
  })
  await recordTicketChanges(trx, {
    ticket: {
      id: ticketId,
      number: ticketNumber,
      subject: row.subject,
      assigneeAgentId: automated.ticket.assigneeAgentId,
      assigneeTeamId: automated.ticket.assigneeTeamId,
      departmentId: automated.ticket.departmentId,
      requesterId: row.requester_id,
    },
    actor,
    channel: meta.channel,
    at,
    changes: [...changes, ...automated.changes],
    happenings: [...happenings, ...automated.happenings],
    mail: { autorespond: intake?.autorespond ?? true, alert: intake?.alert ?? true },
  })
  return { ticketId, entryId, kind, followUpOf }
}
