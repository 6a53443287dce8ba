// Links between tickets and splitting a ticket (issue 12). A link is shown on both tickets, but only to people
// who may see the ticket it is shown on, and the other ticket's number and subject only to those who may see
// that one too: anyone else reads "a linked ticket you cannot open".
import { z } from 'zod'
import type { App } from '../app.ts'
import { nextTicketId, nextTicketNumber } from '../db/dialect.ts'
import { AppError, badRequest, notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { canSeeTicket } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { moveEntries } from '../repositories/mergeRepo.ts'
import {
  deleteRelation,
  entriesForSplit,
  insertRelation,
  relationBetween,
  relationsOf,
} from '../repositories/relationRepo.ts'
import {
  findTicketById,
  findTicketByNumber,
  lockTicketById,
  type TicketListRow,
} from '../repositories/ticketRepo.ts'
import { nonBlank } from './fields.ts'
import { accessFacts, lockVisibleTicket, requireTicketEdit } from './ticketAccess.ts'
import { runAutomation } from './ticketAutomation.ts'
import { recordTicketChanges, ticketSummary } from './ticketWrites.ts'

// The link kinds are defined once in src/shared/tickets.ts (the web app imports them too). SHOWN_KINDS: how a
// link reads from the other ticket, the parent's child, the duplicate's original.
import {
  LINK_KINDS,
  SHOWN_LINK_KINDS as SHOWN_KINDS,
  type LinkKind,
  type ShownLinkKind as ShownKind,
} from '../shared/tickets.ts'
export { LINK_KINDS, SHOWN_KINDS, type LinkKind, type ShownKind }
const INVERSE: Record<LinkKind, ShownKind> = {
  related: 'related',
  parent: 'child',
  child: 'parent',
  duplicate: 'original',
}

const TicketNumber = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^#?\d+$/, 'a ticket number')
export const AddLink = z.object({
  number: TicketNumber.describe('The ticket to link to'),
  kind: z
    .enum(LINK_KINDS)
    .describe(
      'What the other ticket is to this one: related, parent, child, or duplicate (it duplicates this one)',
    ),
})
export const RemoveLink = z.object({ number: TicketNumber })

export type ShownLink =
  | { visible: true; number: string; subject: string; status: string; kind: ShownKind; createdAt: number }
  | { visible: false; kind: ShownKind; createdAt: number }

const strip = (n: string) => n.trim().replace(/^#/, '')

/** Agents who may see the ticket see its links; the other ticket only as far as they may see it. */
export async function listLinks(app: App, actor: Actor, number: string): Promise<ShownLink[]> {
  const db = app.db.read
  const row = await findTicketByNumber(db, number)
  if (!row || actor.kind !== 'agent' || !canSeeTicket(actor, await accessFacts(db, row, actor)))
    throw notFound('ticket')
  const links = await relationsOf(db, row.id)
  const shown: ShownLink[] = []
  for (const { relation, other } of links) {
    const kind = relation.a_id === row.id ? (relation.kind as LinkKind) : INVERSE[relation.kind as LinkKind]
    const visible = canSeeTicket(actor, await accessFacts(db, other, actor))
    shown.push(
      visible
        ? {
            visible: true,
            number: other.number,
            subject: other.subject,
            status: other.status,
            kind,
            createdAt: relation.created_at,
          }
        : { visible: false, kind, createdAt: relation.created_at },
    )
  }
  return shown
}

export async function addLink(
  app: App,
  actor: Actor,
  number: string,
  input: z.infer<typeof AddLink>,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    const agent = requireTicketEdit(actor, facts, 'Linking tickets')
    const otherNumber = strip(input.number)
    if (otherNumber === row.number) throw badRequest('link_to_self', 'A ticket cannot be linked to itself.')
    const other = await findTicketByNumber(trx, otherNumber)
    if (!other || !canSeeTicket(agent, await accessFacts(trx, other, agent)))
      throw badRequest('link_target_not_found', `There is no ticket #${otherNumber} that you may open.`)
    if (await relationBetween(trx, row.id, other.id))
      throw new AppError('conflict', 'already_linked', `This ticket is already linked to #${other.number}.`)
    const at = app.clock.now()
    await insertRelation(trx, { aId: row.id, bId: other.id, kind: input.kind, by: agent.id, at })
    for (const [ticket, kind, peer] of [
      [row, input.kind, other],
      [other, INVERSE[input.kind], row],
    ] as const) {
      await recordTicketChanges(trx, {
        ticket: ticketSummary(ticket),
        actor: agent,
        channel: meta.channel,
        at,
        changes: [{ type: 'link.added', after: { number: peer.number, kind } }],
        happenings: [],
      })
    }
  })
}

export async function removeLink(
  app: App,
  actor: Actor,
  number: string,
  input: z.infer<typeof RemoveLink>,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    const agent = requireTicketEdit(actor, facts, 'Unlinking tickets')
    const other = await findTicketByNumber(trx, strip(input.number))
    const link = other ? await relationBetween(trx, row.id, other.id) : undefined
    // Removing needs the other ticket in view too, so a hidden link cannot be probed by number.
    if (!other || !link || !canSeeTicket(agent, await accessFacts(trx, other, agent))) throw notFound('link')
    await deleteRelation(trx, link.a_id, link.b_id)
    const at = app.clock.now()
    for (const [ticket, peer] of [
      [row, other],
      [other, row],
    ] as const) {
      await recordTicketChanges(trx, {
        ticket: ticketSummary(ticket),
        actor: agent,
        channel: meta.channel,
        at,
        changes: [{ type: 'link.removed', before: { number: peer.number } }],
        happenings: [],
      })
    }
  })
}

export const SplitTicket = z.object({
  entryIds: z.array(z.number().int().positive()).min(1).max(500),
  subject: nonBlank(255).optional().describe('The new ticket’s subject (default: the original’s)'),
})

/**
 * Moves customer messages (with their attachments) into a new ticket for the same requester, in the same
 * department, linked to the original as its parent.
 */
export async function splitTicket(
  app: App,
  actor: Actor,
  number: string,
  input: z.infer<typeof SplitTicket>,
  meta: { channel: Channel },
): Promise<{ original: TicketListRow; created: TicketListRow; moved: number }> {
  const done = await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
    const agent = requireTicketEdit(actor, facts, 'Splitting a ticket')
    if (row.merged_into_id !== null)
      throw badRequest('ticket_merged', 'This ticket was merged into another; split that one instead.')
    const ids = [...new Set(input.entryIds)]
    const entries = await entriesForSplit(trx, row.id, ids)
    if (entries.length !== ids.length)
      throw badRequest('split_entry_not_found', 'Some of those entries are not on this ticket.')
    if (entries.some((e) => e.kind !== 'message'))
      throw badRequest('split_not_message', 'Only customer messages can be split off.')
    // An entry a merge brought from another requester's ticket stays where its own people can read it.
    if (entries.some((e) => e.origin_ticket_id !== null))
      throw badRequest('split_merged_entry', 'Entries that a merge brought here cannot be split off.')
    const at = app.clock.now()
    const id = await nextTicketId(app.db.dialect, trx)
    const newNumber = await nextTicketNumber(app.db.dialect, trx)
    const subject = input.subject ?? row.subject
    const status = app.statuses.reopenKey()
    await trx
      .insertInto('tickets')
      .values({
        id,
        number: newNumber,
        subject,
        department_id: row.department_id,
        requester_id: row.requester_id,
        priority: row.priority,
        status,
        source: row.source,
        topic_id: row.topic_id,
        created_at: at,
        updated_at: at,
        last_activity_at: at,
      })
      .execute()
    await moveEntries(
      trx,
      entries.map((e) => ({ id: e.id, origin: null })),
      id,
    )
    await app.db.indexForSearch(trx, [
      { ticketId: id, entryId: null, content: subject, internal: false },
      ...entries.map((e) => ({ ticketId: id, entryId: e.id, content: e.body, internal: false })),
    ])
    await insertRelation(trx, { aId: id, bId: row.id, kind: 'parent', by: agent.id, at })
    await trx
      .updateTable('tickets')
      .set({ version: row.version + 1, updated_at: at })
      .where('id', '=', row.id)
      .execute()
    // The new ticket gets its SLA plan and clock (and auto-assignment) as a new ticket does; no rules run, so a
    // split never mails the customer an auto-response for messages they already sent.
    const automated = await runAutomation(app, trx, {
      ticketId: id,
      event: null,
      actor: agent,
      channel: meta.channel,
      at,
      messageBody: entries[0]!.body,
      statusBefore: null,
      created: true,
      customerMessage: true,
    })
    const created = (await lockTicketById(app.db.dialect, trx, id))!
    await recordTicketChanges(trx, {
      ticket: ticketSummary(created),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [
        {
          type: 'ticket.created',
          after: { subject, status, departmentId: row.department_id, splitFrom: row.number },
        },
        { type: 'link.added', after: { number: row.number, kind: 'parent' } },
        ...automated.changes,
      ],
      happenings: [
        { kind: 'related', what: `split #${newNumber} off #${row.number}` },
        ...automated.happenings,
      ],
      mail: { autorespond: false, alert: false },
    })
    await recordTicketChanges(trx, {
      ticket: ticketSummary(row),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [
        { type: 'ticket.split', after: { into: newNumber, entryIds: ids } },
        { type: 'link.added', after: { number: newNumber, kind: 'child' } },
      ],
      happenings: [{ kind: 'related', what: `split #${newNumber} off #${row.number}` }],
      mail: { autorespond: false, alert: false },
    })
    return { original: row.id, created: id, moved: entries.length }
  })
  const [original, created] = await Promise.all([
    findTicketById(app.db.read, done.original),
    findTicketById(app.db.read, done.created),
  ])
  return { original: original!, created: created!, moved: done.moved }
}
