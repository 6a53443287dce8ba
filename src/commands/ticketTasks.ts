// Tasks on a ticket (issue 12): work that needs several people (account, laptop, badge) and must be done before
// the ticket is resolved or closed. Agents only: customers are never shown tasks, their notes or their events.
// Adding, reassigning and rescheduling need ticket.edit; the assignee (or a member of the assigned team) may
// also complete or reopen their task and write notes on it.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { AppError, badRequest, forbidden, notFound } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { agentPermissions, canSeeTicket, ticketScope } from '../policies/ticketPolicy.ts'
import { findTeam, teamMemberIds } from '../repositories/directoryRepo.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { insertNotifications } from '../repositories/notificationRepo.ts'
import {
  findTask,
  insertTask,
  insertTaskNote,
  notesOfTasks,
  openTasksOfTicket,
  tasksAssignedTo,
  tasksOfTicket,
  updateTask,
  type TaskNoteRow,
  type TaskRow,
} from '../repositories/taskRepo.ts'
import { findTicketByNumber, type TicketRow } from '../repositories/ticketRepo.ts'
import { loadActor } from './auth.ts'
import { id, nonBlank } from './fields.ts'
import { accessFacts, lockVisibleTicket, requireTicketEdit } from './ticketAccess.ts'
import { recordTicketChanges, ticketSummary } from './ticketWrites.ts'

const when = z.iso.datetime({ offset: true })

export const CreateTask = z.object({
  title: nonBlank(200),
  assigneeAgentId: id.optional(),
  assigneeTeamId: id.optional(),
  dueAt: when
    .optional()
    .describe('ISO 8601; without it the task is due when the ticket’s SLA resolution target is (if any)'),
})
export const UpdateTask = z.object({
  completed: z.boolean().optional().describe('true completes the task, false reopens it'),
  title: nonBlank(200).optional(),
  assigneeAgentId: id.nullable().optional(),
  assigneeTeamId: id.nullable().optional(),
  dueAt: when.nullable().optional(),
})
export const AddTaskNote = z.object({ body: nonBlank(2000) })

export interface TaskWithNotes extends TaskRow {
  notes: TaskNoteRow[]
}

async function withNotes(db: Kysely<DB>, rows: TaskRow[]): Promise<TaskWithNotes[]> {
  const notes = await notesOfTasks(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({ ...r, notes: notes.filter((n) => n.task_id === r.id) }))
}

function requireAgent(actor: Actor): AgentActor {
  if (actor.kind !== 'agent') throw forbidden('Tasks are for agents.')
  return actor
}

const isAssignee = (agent: AgentActor, task: TaskRow) =>
  task.assignee_agent_id === agent.id ||
  (task.assignee_agent_id === null &&
    task.assignee_team_id !== null &&
    agent.teamIds.includes(task.assignee_team_id))

/** An agent assignee must be able to open the ticket; a team must exist and be active. */
async function checkAssignee(
  trx: Kysely<DB>,
  row: TicketRow,
  agentId: number | null | undefined,
  teamId: number | null | undefined,
) {
  if (agentId !== undefined && agentId !== null) {
    const assignee = await loadActor(trx, agentId)
    if (!assignee || assignee.kind !== 'agent')
      throw badRequest('unknown_agent', 'That agent does not exist or is disabled.')
    if (!canSeeTicket(assignee, await accessFacts(trx, row, assignee)))
      throw badRequest('task_assignee_cannot_see', `${assignee.name} may not open this ticket.`)
  }
  if (teamId !== undefined && teamId !== null) {
    const team = await findTeam(trx, teamId)
    if (!team || team.is_active !== 1)
      throw badRequest('unknown_team', 'That team does not exist or is disabled.')
  }
}

/** Tells the new assignee (or the team's members) about their task. */
async function notifyAssignees(
  trx: Kysely<DB>,
  agent: AgentActor,
  row: TicketRow,
  title: string,
  assignee: { agentId: number | null; teamId: number | null },
  at: number,
) {
  const ids =
    assignee.agentId !== null
      ? [assignee.agentId]
      : assignee.teamId !== null
        ? await teamMemberIds(trx, assignee.teamId)
        : []
  const text = `${agent.name} gave you a task on #${row.number}: ${title.length > 80 ? `${title.slice(0, 79)}…` : title}`
  await insertNotifications(
    trx,
    ids.filter((i) => i !== agent.id).map((userId) => ({ userId, ticketId: row.id, kind: 'task', text })),
    at,
  )
}

async function visibleTicket(app: App, actor: Actor, number: string) {
  const agent = requireAgent(actor)
  const row = await findTicketByNumber(app.db.read, number)
  if (!row || !canSeeTicket(agent, await accessFacts(app.db.read, row, agent))) throw notFound('ticket')
  return row
}

export async function listTasks(app: App, actor: Actor, number: string): Promise<TaskWithNotes[]> {
  const row = await visibleTicket(app, actor, number)
  return withNotes(app.db.read, await tasksOfTicket(app.db.read, row.id))
}

export async function createTask(
  app: App,
  actor: Actor,
  number: string,
  input: z.infer<typeof CreateTask>,
  meta: { channel: Channel },
): Promise<TaskWithNotes> {
  const agent = requireAgent(actor)
  const taskId = await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, agent, number)
    requireTicketEdit(agent, facts, 'Adding a task')
    if (row.merged_into_id !== null)
      throw badRequest('ticket_merged', 'This ticket was merged into another; add the task there.')
    await checkAssignee(trx, row, input.assigneeAgentId, input.assigneeTeamId)
    const at = app.clock.now()
    // The SLA plan sets the due time: a task is due when the ticket must be resolved.
    const dueAt = input.dueAt !== undefined ? Date.parse(input.dueAt) : row.sla_resolution_due_at
    const assignee = { agentId: input.assigneeAgentId ?? null, teamId: input.assigneeTeamId ?? null }
    const taskId = await insertTask(trx, {
      ticketId: row.id,
      title: input.title,
      assigneeAgentId: assignee.agentId,
      assigneeTeamId: assignee.teamId,
      dueAt,
      by: agent.id,
      at,
    })
    await notifyAssignees(trx, agent, row, input.title, assignee, at)
    await recordTicketChanges(trx, {
      ticket: ticketSummary(row),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [{ type: 'task.added', after: { taskId, title: input.title, ...assignee, dueAt } }],
      happenings: [],
    })
    return taskId
  })
  return (await taskById(app, number, taskId))!
}

async function taskById(app: App, number: string, taskId: number) {
  const row = await findTicketByNumber(app.db.read, number)
  const task = row ? await findTask(app.db.read, row.id, taskId) : undefined
  return task ? (await withNotes(app.db.read, [task]))[0] : undefined
}

export async function changeTask(
  app: App,
  actor: Actor,
  number: string,
  taskId: number,
  input: z.infer<typeof UpdateTask>,
  meta: { channel: Channel },
): Promise<TaskWithNotes> {
  const agent = requireAgent(actor)
  await app.db.transact(async (trx) => {
    const { row, facts } = await lockVisibleTicket(app, trx, agent, number)
    const task = await findTask(trx, row.id, taskId)
    if (!task) throw notFound('task')
    const editor = agentPermissions(agent, facts).has('ticket.edit')
    const reassigns = input.assigneeAgentId !== undefined || input.assigneeTeamId !== undefined
    if ((reassigns || input.title !== undefined || input.dueAt !== undefined) && !editor)
      throw forbidden('Changing a task needs ticket.edit.')
    if (input.completed !== undefined && !editor && !isAssignee(agent, task))
      throw forbidden('Only its assignee, or an agent with ticket.edit, may complete a task.')
    await checkAssignee(trx, row, input.assigneeAgentId, input.assigneeTeamId)
    const at = app.clock.now()
    const set: Parameters<typeof updateTask>[2] = {}
    const before: Record<string, unknown> = {}
    const after: Record<string, unknown> = {}
    const change = <K extends 'title' | 'assignee_agent_id' | 'assignee_team_id' | 'due_at'>(
      key: K,
      value: TaskRow[K] | undefined,
      label: string,
    ) => {
      if (value === undefined || value === task[key]) return
      ;(set as Record<string, unknown>)[key] = value
      before[label] = task[key]
      after[label] = value
    }
    change('title', input.title, 'title')
    change('assignee_agent_id', input.assigneeAgentId, 'assigneeAgentId')
    change('assignee_team_id', input.assigneeTeamId, 'assigneeTeamId')
    change(
      'due_at',
      input.dueAt === undefined ? undefined : input.dueAt === null ? null : Date.parse(input.dueAt),
      'dueAt',
    )
    if (input.completed !== undefined && input.completed !== (task.completed_at !== null)) {
      set.completed_at = input.completed ? at : null
      set.completed_by = input.completed ? agent.id : null
      before.completed = task.completed_at !== null
      after.completed = input.completed
    }
    if (Object.keys(after).length === 0) return
    set.updated_at = at
    await updateTask(trx, task.id, set)
    if ('assigneeAgentId' in after || 'assigneeTeamId' in after) {
      await notifyAssignees(
        trx,
        agent,
        row,
        set.title ?? task.title,
        {
          agentId: set.assignee_agent_id !== undefined ? set.assignee_agent_id : task.assignee_agent_id,
          teamId: set.assignee_team_id !== undefined ? set.assignee_team_id : task.assignee_team_id,
        },
        at,
      )
    }
    await recordTicketChanges(trx, {
      ticket: ticketSummary(row),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [{ type: 'task.updated', before: { taskId, ...before }, after: { taskId, ...after } }],
      happenings: [],
    })
  })
  return (await taskById(app, number, taskId))!
}

export async function addTaskNote(
  app: App,
  actor: Actor,
  number: string,
  taskId: number,
  input: z.infer<typeof AddTaskNote>,
  meta: { channel: Channel },
): Promise<TaskWithNotes> {
  const agent = requireAgent(actor)
  await app.db.transact(async (trx) => {
    const { row } = await lockVisibleTicket(app, trx, agent, number)
    const task = await findTask(trx, row.id, taskId)
    if (!task) throw notFound('task')
    const at = app.clock.now()
    await insertTaskNote(trx, { taskId, authorId: agent.id, body: input.body, at })
    await recordTicketChanges(trx, {
      ticket: ticketSummary(row),
      actor: agent,
      channel: meta.channel,
      at,
      changes: [{ type: 'task.note_added', after: { taskId } }],
      happenings: [],
    })
  })
  return (await taskById(app, number, taskId))!
}

/** My tasks: open (or all) tasks assigned to the agent or their teams, on tickets they may see. */
export async function myTasks(app: App, actor: Actor, input: { open: boolean }): Promise<TaskRow[]> {
  const agent = requireAgent(actor)
  return tasksAssignedTo(app.db.read, { id: agent.id, teamIds: agent.teamIds }, ticketScope(agent), {
    open: input.open,
    limit: 500,
  })
}

/**
 * Open tasks block resolving and closing: 409 `open_tasks` with the list, unless the agent (who holds
 * ticket.close, as every finishing status change needs) confirms with `force` — then the event records it.
 */
export async function guardOpenTasks(
  trx: Kysely<DB>,
  ticketId: number,
  force: boolean | undefined,
): Promise<{ forced: number[] } | undefined> {
  const open = await openTasksOfTicket(trx, ticketId)
  if (open.length === 0) return undefined
  if (force === true) return { forced: open.map((t) => t.id) }
  throw new AppError(
    'conflict',
    'open_tasks',
    `Complete the open task${open.length === 1 ? '' : 's'} first: ${open.map((t) => t.title).join(', ')}.`,
    {
      tasks: open.map((t) => ({
        id: t.id,
        title: t.title,
        assigneeAgent:
          t.assignee_agent_id === null
            ? null
            : { id: t.assignee_agent_id, name: t.assignee_agent_name ?? '' },
      })),
    },
  )
}
