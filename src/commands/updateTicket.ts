import { z } from 'zod'
import type { App } from '../app.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { TagList, TAGS_PER_TICKET } from '../domain/tags.ts'
import { PRIORITIES, BODY_MAX, isFinished } from '../domain/tickets.ts'
import type { Permission } from '../domain/permissions.ts'
import { badRequest, forbidden, VersionConflict } from '../errors.ts'
import { guardOpenTasks } from './ticketTasks.ts'
import { lockVisibleTicket } from './ticketAccess.ts'
import type { Actor } from '../policies/actor.ts'
import { agentPermissions, canBeAssignedIn } from '../policies/ticketPolicy.ts'
import { findDepartment, findTeam } from '../repositories/directoryRepo.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { findTicketById, type TicketListRow } from '../repositories/ticketRepo.ts'
import { addTags, removeTags, tagsOf } from '../repositories/tagRepo.ts'
import { insertEntry } from '../repositories/threadRepo.ts'
import { departmentIdsOfAgent, findUserById } from '../repositories/userRepo.ts'
import { id, nonBlank, text } from './fields.ts'
import type { Happening } from './ticketNotifications.ts'
import { recordTicketChanges, type Change } from './ticketWrites.ts'
import { runAutomation } from './ticketAutomation.ts'

export const UpdateTicket = z
  .object({
    version: z.number().int().positive(),
    subject: nonBlank(255).optional(),
    priority: z.enum(PRIORITIES).optional(),
    status: text(64).optional(),
    departmentId: id.optional(),
    assigneeAgentId: id.nullable().optional(),
    assigneeTeamId: id.nullable().optional(),
    /** Tags to add and to remove (normalised: see src/domain/tags.ts); needs ticket.edit. */
    addTags: TagList.optional(),
    removeTags: TagList.optional(),
    /** An internal note that explains the change, stored in the thread in the same transaction. */
    note: nonBlank(BODY_MAX).optional(),
    /** Resolve or close although tasks are open (needs ticket.close, as finishing does); recorded as an event. */
    force: z.boolean().optional(),
  })
  .refine((u) => !(u.addTags ?? []).some((t) => (u.removeTags ?? []).includes(t)), {
    message: 'A tag cannot be both added and removed',
    path: ['removeTags'],
  })
export type UpdateTicket = z.infer<typeof UpdateTicket>

/**
 * A change as the other commands ask for it (bulk, macros, tags): without `version`, the current one; `tags`
 * replaces the whole set (and needs ticket.edit even when the set stays the same).
 */
export type TicketChange = Omit<UpdateTicket, 'version'> & {
  version?: number | undefined
  tags?: readonly string[] | undefined
}

export async function updateTicket(
  app: App,
  actor: Actor,
  number: string,
  input: UpdateTicket,
  meta: { channel: Channel },
): Promise<TicketListRow> {
  const { ticketId } = await app.db.transact((trx) => updateTicketIn(app, trx, actor, number, input, meta))
  return (await findTicketById(app.db.read, ticketId))!
}

/**
 * The update inside the caller's transaction, so a macro can change, note and reply in one commit and a bulk
 * change can fetch its results in one query. `changed` is false when the ticket already was as asked.
 */
export async function updateTicketIn(
  app: App,
  trx: Kysely<DB>,
  actor: Actor,
  number: string,
  input: TicketChange,
  meta: { channel: Channel },
): Promise<{ ticketId: number; changed: boolean }> {
  const { row, facts } = await lockVisibleTicket(app, trx, actor, number)
  if (actor.kind !== 'agent') throw forbidden('Only agents can change a ticket.')
  if (input.version !== undefined && input.version !== row.version)
    throw new VersionConflict((await findTicketById(trx, row.id))!)

  const held = agentPermissions(actor, facts)
  const need = (permission: Permission, what: string) => {
    if (!held.has(permission)) throw forbidden(`You may not ${what} on this ticket (needs ${permission}).`)
  }
  const at = app.clock.now()
  const changes: Change[] = []
  const happenings: Happening[] = []
  const set: {
    subject?: string
    priority?: string
    status?: string
    closed_at?: number | null
    department_id?: number
    assignee_agent_id?: number | null
    assignee_team_id?: number | null
  } = {}

  if (input.subject !== undefined && input.subject !== row.subject) {
    need('ticket.edit', 'edit the subject')
    set.subject = input.subject
    changes.push({
      type: 'ticket.subject_changed',
      before: { subject: row.subject },
      after: { subject: input.subject },
    })
  }
  if (input.priority !== undefined && input.priority !== row.priority) {
    need('ticket.edit', 'change the priority')
    set.priority = input.priority
    changes.push({
      type: 'ticket.priority_changed',
      before: { priority: row.priority },
      after: { priority: input.priority },
    })
  }
  if (input.status !== undefined && input.status !== row.status) {
    const next = app.statuses.get(input.status)
    if (!next) {
      const known = app.statuses
        .all()
        .map((s) => s.key)
        .join(', ')
      throw badRequest('unknown_status', `Unknown status "${input.status}". Use one of: ${known}.`)
    }
    const wasFinished = isFinished(app.statuses.categoryOf(row.status))
    const finishes = isFinished(next.category)
    if (wasFinished || finishes) need('ticket.close', 'resolve, close or reopen')
    else need('ticket.edit', 'change the status')
    const forced = finishes ? await guardOpenTasks(trx, row.id, input.force) : undefined
    set.status = next.key
    if (finishes !== wasFinished || finishes) set.closed_at = finishes ? at : null
    changes.push({
      type: 'ticket.status_changed',
      before: { status: row.status },
      after: { status: next.key },
    })
    // After the status change: the realtime message takes the first change's type, and customers hear of that one.
    if (forced) changes.push({ type: 'tasks.close_forced', after: { taskIds: forced.forced } })
    happenings.push({ kind: 'status', statusName: next.name, finished: finishes })
  }

  let departmentId = row.department_id
  let departmentName: string | undefined
  if (input.departmentId !== undefined && input.departmentId !== row.department_id) {
    need('ticket.transfer', 'transfer')
    const department = await findDepartment(trx, input.departmentId)
    if (!department || department.is_active !== 1) {
      throw badRequest('unknown_department', 'That department does not exist or is disabled.')
    }
    departmentId = department.id
    departmentName = department.name
    set.department_id = department.id
    changes.push({
      type: 'ticket.transferred',
      before: { departmentId: row.department_id },
      after: { departmentId: department.id },
    })
  }

  let assigneeAgentId = row.assignee_agent_id
  if (input.assigneeAgentId !== undefined && input.assigneeAgentId !== row.assignee_agent_id) {
    need('ticket.assign', 'assign')
    if (input.assigneeAgentId !== null) {
      const agent = await findUserById(trx, input.assigneeAgentId)
      if (!agent || agent.type !== 'agent' || agent.is_active !== 1) {
        throw badRequest('unknown_agent', 'That agent does not exist or is disabled.')
      }
      if (!canBeAssignedIn({ departmentIds: await departmentIdsOfAgent(trx, agent.id) }, departmentId)) {
        throw badRequest(
          'assignee_not_in_department',
          `${agent.name} is not a member of the ticket's department.`,
        )
      }
    }
    assigneeAgentId = input.assigneeAgentId
  } else if (set.department_id !== undefined && row.assignee_agent_id !== null) {
    // A transfer releases an assignee who has no role in the new department (they could not work it there).
    const stays = canBeAssignedIn(
      { departmentIds: await departmentIdsOfAgent(trx, row.assignee_agent_id) },
      departmentId,
    )
    if (!stays) assigneeAgentId = null
  }
  if (assigneeAgentId !== row.assignee_agent_id) {
    set.assignee_agent_id = assigneeAgentId
    changes.push({
      type: assigneeAgentId === null ? 'ticket.released' : 'ticket.assigned',
      before: { assigneeAgentId: row.assignee_agent_id },
      after: { assigneeAgentId },
    })
    if (assigneeAgentId !== null) happenings.push({ kind: 'assigned' })
  }

  let assigneeTeamId = row.assignee_team_id
  if (input.assigneeTeamId !== undefined && input.assigneeTeamId !== row.assignee_team_id) {
    need('ticket.assign', 'assign')
    if (input.assigneeTeamId !== null) {
      const team = await findTeam(trx, input.assigneeTeamId)
      if (!team || team.is_active !== 1)
        throw badRequest('unknown_team', 'That team does not exist or is disabled.')
    }
    assigneeTeamId = input.assigneeTeamId
    set.assignee_team_id = assigneeTeamId
    changes.push({
      type: 'ticket.team_assigned',
      before: { assigneeTeamId: row.assignee_team_id },
      after: { assigneeTeamId },
    })
  }
  if (departmentName !== undefined) happenings.push({ kind: 'transferred', departmentName })

  let tagsAdded: string[] = []
  let tagsRemoved: string[] = []
  if (input.tags !== undefined) need('ticket.edit', 'change the tags')
  if (input.tags !== undefined || (input.addTags?.length ?? 0) > 0 || (input.removeTags?.length ?? 0) > 0) {
    const current = new Set(await tagsOf(trx, row.id))
    const wanted = input.tags === undefined ? undefined : new Set(input.tags)
    tagsAdded = (wanted ? [...wanted] : (input.addTags ?? [])).filter((t) => !current.has(t))
    tagsRemoved = wanted
      ? [...current].filter((t) => !wanted.has(t))
      : (input.removeTags ?? []).filter((t) => current.has(t))
    if (tagsAdded.length > 0 || tagsRemoved.length > 0) need('ticket.edit', 'change the tags')
    if (current.size - tagsRemoved.length + tagsAdded.length > TAGS_PER_TICKET)
      throw badRequest('too_many_tags', `A ticket has at most ${TAGS_PER_TICKET} tags.`)
    for (const tag of tagsRemoved) changes.push({ type: 'ticket.untagged', before: { tag } })
    for (const tag of tagsAdded) changes.push({ type: 'ticket.tagged', after: { tag } })
  }

  if (changes.length === 0 && input.note === undefined) return { ticketId: row.id, changed: false }

  if (changes.length > 0) {
    const updated = await trx
      .updateTable('tickets')
      .set({ ...set, version: row.version + 1, updated_at: at, last_activity_at: at })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new VersionConflict((await findTicketById(trx, row.id))!)
  } else {
    await trx
      .updateTable('tickets')
      .set({ updated_at: at, last_activity_at: at })
      .where('id', '=', row.id)
      .execute()
  }

  await removeTags(trx, row.id, tagsRemoved)
  await addTags(trx, row.id, tagsAdded)
  if (set.subject !== undefined) {
    await app.db.indexForSearch(trx, [
      { ticketId: row.id, entryId: null, content: set.subject, internal: false },
    ])
  }
  if (input.note !== undefined) {
    const entryId = await insertEntry(trx, {
      ticketId: row.id,
      kind: 'note',
      body: input.note,
      authorId: actor.id,
      at,
    })
    await app.db.indexForSearch(trx, [{ ticketId: row.id, entryId, content: input.note, internal: true }])
    changes.push({ type: 'note.added', after: { entryId } })
    happenings.push({ kind: 'note' })
  }

  // Whoever hands a ticket to a department they are not in keeps it in sight as a follower (a referral).
  if (set.department_id !== undefined && !actor.roles.has(departmentId) && assigneeAgentId !== actor.id) {
    await trx
      .insertInto('ticket_followers')
      .values({ ticket_id: row.id, agent_id: actor.id, created_at: at })
      .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doNothing())
      .execute()
    changes.push({ type: 'ticket.followed', after: { agentId: actor.id } })
  }

  const automated = await runAutomation(app, trx, {
    ticketId: row.id,
    event: 'ticket.updated',
    actor,
    channel: meta.channel,
    at,
    messageBody: input.note,
    statusBefore: row.status,
    transferred: set.department_id !== undefined,
  })
  await recordTicketChanges(trx, {
    ticket: {
      id: row.id,
      number: row.number,
      subject: set.subject ?? row.subject,
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
  })
  return { ticketId: row.id, changed: true }
}
