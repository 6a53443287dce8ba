// Tasks on tickets and their short notes: Kysely queries only.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { TicketScope } from '../policies/ticketPolicy.ts'
import { inScope } from './ticketRepo.ts'

export interface TaskRow {
  id: number
  ticket_id: number
  ticket_number: string
  ticket_subject: string
  title: string
  assignee_agent_id: number | null
  assignee_agent_name: string | null
  assignee_team_id: number | null
  assignee_team_name: string | null
  due_at: number | null
  completed_at: number | null
  completed_by: number | null
  completed_by_name: string | null
  created_by: number
  created_by_name: string
  created_at: number
  updated_at: number
}

export interface TaskNoteRow {
  id: number
  task_id: number
  author_id: number
  author_name: string
  body: string
  created_at: number
}

function tasks(db: Kysely<DB>) {
  return db
    .selectFrom('ticket_tasks as k')
    .innerJoin('tickets', 'tickets.id', 'k.ticket_id')
    .innerJoin('users as cb', 'cb.id', 'k.created_by')
    .leftJoin('users as aa', 'aa.id', 'k.assignee_agent_id')
    .leftJoin('teams as at', 'at.id', 'k.assignee_team_id')
    .leftJoin('users as db', 'db.id', 'k.completed_by')
    .select([
      'k.id',
      'k.ticket_id',
      'tickets.number as ticket_number',
      'tickets.subject as ticket_subject',
      'k.title',
      'k.assignee_agent_id',
      'aa.name as assignee_agent_name',
      'k.assignee_team_id',
      'at.name as assignee_team_name',
      'k.due_at',
      'k.completed_at',
      'k.completed_by',
      'db.name as completed_by_name',
      'k.created_by',
      'cb.name as created_by_name',
      'k.created_at',
      'k.updated_at',
    ])
}

export async function tasksOfTicket(db: Kysely<DB>, ticketId: number): Promise<TaskRow[]> {
  return tasks(db).where('k.ticket_id', '=', ticketId).orderBy('k.id').execute()
}

export async function openTasksOfTicket(db: Kysely<DB>, ticketId: number): Promise<TaskRow[]> {
  return tasks(db)
    .where('k.ticket_id', '=', ticketId)
    .where('k.completed_at', 'is', null)
    .orderBy('k.id')
    .execute()
}

export async function findTask(
  db: Kysely<DB>,
  ticketId: number,
  taskId: number,
): Promise<TaskRow | undefined> {
  return tasks(db).where('k.ticket_id', '=', ticketId).where('k.id', '=', taskId).executeTakeFirst()
}

/** Open tasks assigned to the agent or one of their teams, on tickets in their scope, soonest due first. */
export async function tasksAssignedTo(
  db: Kysely<DB>,
  agent: { id: number; teamIds: readonly number[] },
  scope: TicketScope,
  options: { open: boolean; limit: number },
): Promise<TaskRow[]> {
  return tasks(db)
    .where((eb) =>
      agent.teamIds.length > 0
        ? eb.or([
            eb('k.assignee_agent_id', '=', agent.id),
            eb.and([
              eb('k.assignee_agent_id', 'is', null),
              eb('k.assignee_team_id', 'in', [...agent.teamIds]),
            ]),
          ])
        : eb('k.assignee_agent_id', '=', agent.id),
    )
    .where(inScope(scope))
    .$if(options.open, (q) => q.where('k.completed_at', 'is', null))
    .orderBy('k.completed_at', 'desc')
    .orderBy('k.due_at')
    .orderBy('k.id')
    .limit(options.limit)
    .execute()
}

export async function notesOfTasks(db: Kysely<DB>, taskIds: number[]): Promise<TaskNoteRow[]> {
  if (taskIds.length === 0) return []
  return db
    .selectFrom('ticket_task_notes as n')
    .innerJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.task_id', 'n.author_id', 'u.name as author_name', 'n.body', 'n.created_at'])
    .where('n.task_id', 'in', taskIds)
    .orderBy('n.id')
    .execute()
}

export async function insertTask(
  db: Kysely<DB>,
  t: {
    ticketId: number
    title: string
    assigneeAgentId: number | null
    assigneeTeamId: number | null
    dueAt: number | null
    by: number
    at: number
  },
): Promise<number> {
  const row = await db
    .insertInto('ticket_tasks')
    .values({
      ticket_id: t.ticketId,
      title: t.title,
      assignee_agent_id: t.assigneeAgentId,
      assignee_team_id: t.assigneeTeamId,
      due_at: t.dueAt,
      created_by: t.by,
      created_at: t.at,
      updated_at: t.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateTask(
  db: Kysely<DB>,
  id: number,
  set: Partial<{
    title: string
    assignee_agent_id: number | null
    assignee_team_id: number | null
    due_at: number | null
    completed_at: number | null
    completed_by: number | null
    updated_at: number
  }>,
): Promise<void> {
  await db.updateTable('ticket_tasks').set(set).where('id', '=', id).execute()
}

export async function insertTaskNote(
  db: Kysely<DB>,
  n: { taskId: number; authorId: number; body: string; at: number },
): Promise<void> {
  await db
    .insertInto('ticket_task_notes')
    .values({ task_id: n.taskId, author_id: n.authorId, body: n.body, created_at: n.at })
    .execute()
}
