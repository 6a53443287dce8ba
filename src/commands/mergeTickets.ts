// Merging a duplicate into another ticket, and undoing it (issue 12). The source's thread, attachments and
// tasks move to the target, each entry keeping the ticket it was written on; its collaborators (when both
// tickets have the same requester), followers and tags are added to the target; the source is closed and
// points at the target. Everything a merge moved or added is recorded, so unmerge puts both tickets back.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { AppError, badRequest, forbidden, notFound, VersionConflict } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { agentCan, canSeeTicket } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import {
  activeMergeOf,
  addCollaborators,
  addFollowers,
  collaboratorIds,
  entriesOn,
  entriesStillOn,
  followerIds,
  insertMerge,
  markUnmerged,
  moveEntries,
  moveTasks,
  taskIdsOn,
  removeCollaborators,
  removeFollowers,
} from '../repositories/mergeRepo.ts'
import { addTags, removeTags, tagsOf } from '../repositories/tagRepo.ts'
import {
  findTicketById,
  findTicketByNumber,
  lockTicketById,
  type TicketListRow,
} from '../repositories/ticketRepo.ts'
import { nonBlank } from './fields.ts'
import { accessFacts } from './ticketAccess.ts'
import { recordTicketChanges, ticketSummary } from './ticketWrites.ts'

const TicketNumber = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^#?\d+$/, 'a ticket number')

export const MergeTicket = z.object({
  into: TicketNumber.describe('The ticket to merge this one into'),
  version: z.number().int().positive().describe('The version of this (the source) ticket you loaded'),
  note: nonBlank(2000).optional().describe('Why: recorded on the merge events of both tickets'),
})
export type MergeTicket = z.infer<typeof MergeTicket>

/** What a merge changed, stored on its ticket_merges row for unmerge. */
export interface MergeSnapshot {
  source: {
    status: string
    closedAt: number | null
    updatedAt: number
    lastActivityAt: number
    snoozedUntil: number | null
  }
  entries: { id: number; originBefore: number | null }[]
  tasks: number[]
  addedCollaborators: number[]
  addedFollowers: number[]
  addedTags: string[]
}

export interface MergeResult {
  source: TicketListRow
  target: TicketListRow
  moved: { entries: number; tasks: number; collaborators: number; followers: number; tags: number }
}

const strip = (n: string) => n.trim().replace(/^#/, '')

/** Locks both tickets in id order (two merges that cross never wait on each other) and checks access. */
async function lockPair(app: App, trx: Kysely<DB>, actor: Actor, sourceNumber: string, targetNumber: string) {
  const [s, t] = await Promise.all([
    findTicketByNumber(trx, sourceNumber),
    findTicketByNumber(trx, targetNumber),
  ])
  if (!s) throw notFound('ticket')
  const first = t && t.id < s.id ? t.id : s.id
  const second = t && t.id < s.id ? s.id : t?.id
  const a = await lockTicketById(app.db.dialect, trx, first)
  const b = second !== undefined && second !== first ? await lockTicketById(app.db.dialect, trx, second) : a
  const source = a?.id === s.id ? a : b
  const target = t ? (a?.id === t.id ? a : b) : undefined
  if (!source) throw notFound('ticket')
  const sourceFacts = await accessFacts(trx, source, actor)
  if (!canSeeTicket(actor, sourceFacts)) throw notFound('ticket')
  return { source, sourceFacts, target }
}

function requireMerge(actor: Actor, facts: Parameters<typeof agentCan>[2], which: string): AgentActor {
  if (actor.kind !== 'agent' || !agentCan(actor, 'ticket.merge', facts))
    throw forbidden(`You may not merge ${which} (needs ticket.merge in its department).`)
  return actor
}

function closedStatus(app: App): string {
  const closed = app.statuses.keysIn(['closed'])
  return closed.includes('closed') ? 'closed' : (closed[0] ?? 'closed')
}

export async function mergeTicket(
  app: App,
  actor: Actor,
  number: string,
  input: MergeTicket,
  meta: { channel: Channel },
): Promise<MergeResult> {
  const into = strip(input.into)
  const result = await app.db.transact(async (trx) => {
    const { source, sourceFacts, target } = await lockPair(app, trx, actor, number, into)
    const agent = requireMerge(actor, sourceFacts, 'this ticket')
    if (into === source.number) throw badRequest('merge_into_self', 'A ticket cannot be merged into itself.')
    if (input.version !== source.version) throw new VersionConflict((await findTicketById(trx, source.id))!)
    if (source.merged_into_id !== null)
      throw new AppError('conflict', 'already_merged', 'This ticket was already merged into another.')
    // A target the agent may not see answers as a missing one.
    if (!target || !canSeeTicket(agent, await accessFacts(trx, target, agent)))
      throw badRequest('merge_target_not_found', `There is no ticket #${into} that you may open.`)
    requireMerge(agent, await accessFacts(trx, target, agent), `into #${target.number}`)
    if (target.merged_into_id !== null)
      throw badRequest(
        'merge_target_merged',
        `Ticket #${target.number} was itself merged into another; merge into that one instead.`,
      )

    const at = app.clock.now()
    const entries = await entriesOn(trx, source.id)
    const tasks = await taskIdsOn(trx, source.id)
    const sameRequester = source.requester_id === target.requester_id
    const [
      sourceCollaborators,
      targetCollaborators,
      sourceFollowers,
      targetFollowers,
      sourceTags,
      targetTags,
    ] = await Promise.all([
      collaboratorIds(trx, source.id),
      collaboratorIds(trx, target.id),
      followerIds(trx, source.id),
      followerIds(trx, target.id),
      tagsOf(trx, source.id),
      tagsOf(trx, target.id),
    ])
    // The source's collaborators read what its requester reads: they join only when the requester is the same.
    const addedCollaborators = sameRequester
      ? sourceCollaborators.filter((id) => !targetCollaborators.includes(id) && id !== target.requester_id)
      : []
    const addedFollowers = sourceFollowers.filter((id) => !targetFollowers.includes(id))
    const addedTags = sourceTags.filter((tag) => !targetTags.includes(tag))

    await moveEntries(
      trx,
      entries.map((e) => ({ id: e.id, origin: e.originBefore ?? source.id })),
      target.id,
    )
    // Customer searches never match a merged-in entry (its thread shows it only to its own people).
    await app.db.indexForSearch(
      trx,
      entries.map((e) => ({ ticketId: target.id, entryId: e.id, content: e.body, internal: true })),
    )
    await moveTasks(trx, tasks, target.id)
    await addCollaborators(trx, target.id, addedCollaborators, at)
    await addFollowers(trx, target.id, addedFollowers, at)
    await addTags(trx, target.id, addedTags)

    const status = closedStatus(app)
    await trx
      .updateTable('tickets')
      .set({
        status,
        closed_at: at,
        snoozed_until: null,
        merged_into_id: target.id,
        version: source.version + 1,
        updated_at: at,
      })
      .where('id', '=', source.id)
      .execute()
    await trx
      .updateTable('tickets')
      .set({
        version: target.version + 1,
        updated_at: at,
        last_activity_at: Math.max(target.last_activity_at, source.last_activity_at),
      })
      .where('id', '=', target.id)
      .execute()

    const snapshot: MergeSnapshot = {
      source: {
        status: source.status,
        closedAt: source.closed_at,
        updatedAt: source.updated_at,
        lastActivityAt: source.last_activity_at,
        snoozedUntil: source.snoozed_until,
      },
      entries: entries.map((e) => ({ id: e.id, originBefore: e.originBefore })),
      tasks,
      addedCollaborators,
      addedFollowers,
      addedTags,
    }
    const mergeId = await insertMerge(trx, {
      sourceId: source.id,
      targetId: target.id,
      actorId: agent.id,
      at,
      snapshot: JSON.stringify(snapshot),
    })
    const note = input.note === undefined ? {} : { note: input.note }
    const what = `merged #${source.number} into #${target.number}`
    await recordTicketChanges(trx, {
      ticket: ticketSummary(source),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [
        {
          type: 'ticket.merged',
          before: { status: source.status },
          after: { into: target.number, mergeId, status, ...note },
        },
      ],
      happenings: [{ kind: 'related', what }],
      mail: { autorespond: false, alert: false },
    })
    await recordTicketChanges(trx, {
      ticket: ticketSummary(target),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [
        {
          type: 'ticket.merged_in',
          after: {
            from: source.number,
            mergeId,
            entries: entries.length,
            tasks: tasks.length,
            collaborators: addedCollaborators.length,
            followers: addedFollowers.length,
            tags: addedTags,
            ...note,
          },
        },
      ],
      happenings: [{ kind: 'related', what }],
      mail: { autorespond: false, alert: false },
    })
    return {
      sourceId: source.id,
      targetId: target.id,
      moved: {
        entries: entries.length,
        tasks: tasks.length,
        collaborators: addedCollaborators.length,
        followers: addedFollowers.length,
        tags: addedTags.length,
      },
    }
  })
  const [source, target] = await Promise.all([
    findTicketById(app.db.read, result.sourceId),
    findTicketById(app.db.read, result.targetId),
  ])
  return { source: source!, target: target!, moved: result.moved }
}

export const UnmergeTicket = z.object({})

/**
 * Undoes the merge of this (source) ticket within the configured window: its entries, attachments and tasks go
 * back, what the merge added to the target is taken off, and the source gets its status back. Entries written
 * on the target since stay there.
 */
export async function unmergeTicket(
  app: App,
  actor: Actor,
  number: string,
  meta: { channel: Channel },
): Promise<{ source: TicketListRow; target: TicketListRow }> {
  const ids = await app.db.transact(async (trx) => {
    const found = await findTicketByNumber(trx, strip(number))
    if (!found) throw notFound('ticket')
    const merge = found.merged_into_id === null ? undefined : await activeMergeOf(trx, found.id)
    const targetRow = merge ? await findTicketById(trx, merge.target_id) : undefined
    const { source, sourceFacts, target } = await lockPair(
      app,
      trx,
      actor,
      found.number,
      targetRow?.number ?? found.number,
    )
    const agent = requireMerge(actor, sourceFacts, 'this ticket')
    if (!merge || !target || target.id === source.id || source.merged_into_id !== target.id)
      throw new AppError('conflict', 'not_merged', 'This ticket is not merged into another.')
    if (!canSeeTicket(agent, await accessFacts(trx, target, agent))) throw notFound('ticket')
    requireMerge(agent, await accessFacts(trx, target, agent), `#${target.number}`)
    const at = app.clock.now()
    if (at - merge.merged_at > app.config.unmergeWindowMs)
      throw new AppError(
        'conflict',
        'unmerge_window_passed',
        `A merge can be undone for ${Math.round(app.config.unmergeWindowMs / 86_400_000)} days; this one is older.`,
      )
    if (target.merged_into_id !== null)
      throw new AppError(
        'conflict',
        'target_merged',
        `#${target.number} was merged into another ticket since; undo that merge first.`,
      )
    const snapshot = JSON.parse(merge.snapshot) as MergeSnapshot
    const still = await entriesStillOn(
      trx,
      target.id,
      snapshot.entries.map((e) => e.id),
    )
    const back = snapshot.entries.filter((e) => still.has(e.id))
    await moveEntries(
      trx,
      back.map((e) => ({ id: e.id, origin: e.originBefore })),
      source.id,
    )
    const bodies = new Map((await entriesOn(trx, source.id)).map((e) => [e.id, e]))
    await app.db.indexForSearch(
      trx,
      back.map((e) => ({
        ticketId: source.id,
        entryId: e.id,
        content: bodies.get(e.id)?.body ?? '',
        internal: bodies.get(e.id)?.kind === 'note' || e.originBefore !== null,
      })),
    )
    await moveTasks(trx, snapshot.tasks, source.id)
    await removeCollaborators(trx, target.id, snapshot.addedCollaborators)
    await removeFollowers(trx, target.id, snapshot.addedFollowers)
    await removeTags(trx, target.id, snapshot.addedTags)
    await trx
      .updateTable('tickets')
      .set({
        status: snapshot.source.status,
        closed_at: snapshot.source.closedAt,
        snoozed_until: snapshot.source.snoozedUntil,
        last_activity_at: snapshot.source.lastActivityAt,
        merged_into_id: null,
        version: source.version + 1,
        updated_at: at,
      })
      .where('id', '=', source.id)
      .execute()
    await trx
      .updateTable('tickets')
      .set({ version: target.version + 1, updated_at: at })
      .where('id', '=', target.id)
      .execute()
    await markUnmerged(trx, merge.id, at)
    const what = `undid the merge of #${source.number} into #${target.number}`
    await recordTicketChanges(trx, {
      ticket: ticketSummary(source),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [
        {
          type: 'ticket.unmerged',
          before: { mergedInto: target.number },
          after: { status: snapshot.source.status, mergeId: merge.id },
        },
      ],
      happenings: [{ kind: 'related', what }],
      mail: { autorespond: false, alert: false },
    })
    await recordTicketChanges(trx, {
      ticket: ticketSummary(target),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [
        {
          type: 'ticket.unmerged_out',
          after: { from: source.number, mergeId: merge.id, entries: back.length },
        },
      ],
      happenings: [{ kind: 'related', what }],
      mail: { autorespond: false, alert: false },
    })
    return { sourceId: source.id, targetId: target.id }
  })
  const [source, target] = await Promise.all([
    findTicketById(app.db.read, ids.sourceId),
    findTicketById(app.db.read, ids.targetId),
  ])
  return { source: source!, target: target! }
}
