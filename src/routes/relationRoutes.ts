// Ticket relationships (issue 12): merge and its undo, links, split and tasks. The rules are in
// commands/mergeTickets.ts, commands/ticketRelations.ts and commands/ticketTasks.ts.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { MergeTicket, mergeTicket, UnmergeTicket, unmergeTicket } from '../commands/mergeTickets.ts'
import {
  AddLink,
  addLink,
  listLinks,
  RemoveLink,
  removeLink,
  SHOWN_KINDS,
  SplitTicket,
  splitTicket,
} from '../commands/ticketRelations.ts'
import {
  AddTaskNote,
  addTaskNote,
  changeTask,
  CreateTask,
  createTask,
  listTasks,
  myTasks,
  UpdateTask,
  type TaskWithNotes,
} from '../commands/ticketTasks.ts'
import type { TaskRow } from '../repositories/taskRepo.ts'
import { iso8601, presentTicket, TicketOut } from '../presenters/ticketPresenter.ts'
import { ErrorOut, requireActor } from './http.ts'
import { viewerFields } from './ticketRoutes.ts'

const TicketParams = z.object({ number: z.string().max(32) })
const ref = z.object({ id: z.number(), name: z.string() })
const isoOrNull = (ms: number | null) => (ms === null ? null : iso8601(ms))

const TaskOut = z.object({
  id: z.number(),
  ticket: z.object({ number: z.string(), subject: z.string() }),
  title: z.string(),
  assigneeAgent: ref.nullable(),
  assigneeTeam: ref.nullable(),
  dueAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  completedBy: ref.nullable(),
  createdBy: ref,
  createdAt: z.string(),
  notes: z.array(z.object({ id: z.number(), author: ref, body: z.string(), createdAt: z.string() })),
})

function presentTask(t: TaskRow | TaskWithNotes): z.infer<typeof TaskOut> {
  return {
    id: t.id,
    ticket: { number: t.ticket_number, subject: t.ticket_subject },
    title: t.title,
    assigneeAgent:
      t.assignee_agent_id === null ? null : { id: t.assignee_agent_id, name: t.assignee_agent_name ?? '' },
    assigneeTeam:
      t.assignee_team_id === null ? null : { id: t.assignee_team_id, name: t.assignee_team_name ?? '' },
    dueAt: isoOrNull(t.due_at),
    completedAt: isoOrNull(t.completed_at),
    completedBy: t.completed_by === null ? null : { id: t.completed_by, name: t.completed_by_name ?? '' },
    createdBy: { id: t.created_by, name: t.created_by_name },
    createdAt: iso8601(t.created_at),
    notes:
      'notes' in t
        ? t.notes.map((n) => ({
            id: n.id,
            author: { id: n.author_id, name: n.author_name },
            body: n.body,
            createdAt: iso8601(n.created_at),
          }))
        : [],
  }
}
const TaskParams = z.object({
  number: z.string().max(32),
  id: z.coerce.number().int().positive().max(2_147_483_647),
})

const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }

export function relationRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const present = (req: Parameters<typeof requireActor>[0], row: Parameters<typeof presentTicket>[0]) =>
    presentTicket(row, app.statuses, viewerFields(app, requireActor(req)))

  r.post(
    '/api/v1/tickets/:number/merge',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Merge this ticket into another',
        description:
          'Agents with `ticket.merge` in both tickets’ departments. The thread (each entry keeps the ticket it was ' +
          'written on), attachments and tasks move to `into`; followers and tags are added to it, and collaborators ' +
          'too when both tickets have the same requester. This ticket is closed with `mergedInto`; its number keeps ' +
          'working (mail and messages written on it go to the target). A customer of one ticket never reads the ' +
          'other requester’s messages. `version` is this ticket’s. Undo with `POST …/unmerge`.',
        params: TicketParams,
        body: MergeTicket,
        response: {
          200: z.object({
            source: TicketOut,
            target: TicketOut,
            moved: z.object({
              entries: z.number(),
              tasks: z.number(),
              collaborators: z.number(),
              followers: z.number(),
              tags: z.number(),
            }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const merged = await mergeTicket(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return { source: present(req, merged.source), target: present(req, merged.target), moved: merged.moved }
    },
  )

  r.post(
    '/api/v1/tickets/:number/unmerge',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Undo the merge of this ticket',
        description:
          'On the merged (source) ticket, within the undo window (`MERGE_UNDO_DAYS`, 30 by default): both tickets ' +
          'are put back as they were; entries written on the target since stay there. 409 `not_merged`, ' +
          '`unmerge_window_passed`, or `target_merged` when the target was merged on since.',
        params: TicketParams,
        body: UnmergeTicket,
        response: { 200: z.object({ source: TicketOut, target: TicketOut }), ...errors },
      },
    },
    async (req) => {
      const done = await unmergeTicket(app, requireActor(req), req.params.number, { channel: req.channel })
      return { source: present(req, done.source), target: present(req, done.target) }
    },
  )

  const LinkOut = z.union([
    z.object({
      visible: z.literal(true),
      number: z.string(),
      subject: z.string(),
      status: z.string(),
      kind: z.enum(SHOWN_KINDS),
      createdAt: z.string(),
    }),
    z
      .object({ visible: z.literal(false), kind: z.enum(SHOWN_KINDS), createdAt: z.string() })
      .describe('A linked ticket you cannot open: neither its number nor its subject is shown'),
  ])

  r.get(
    '/api/v1/tickets/:number/links',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Links of a ticket, as they read from it',
        description:
          '`kind` says what the other ticket is to this one: related, parent, child, duplicate (it duplicates this ' +
          'one) or original (this one duplicates it). A linked ticket you may not open shows only its kind.',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(LinkOut) }), ...errors },
      },
    },
    async (req) => ({
      items: (await listLinks(app, requireActor(req), req.params.number)).map((l) => ({
        ...l,
        createdAt: iso8601(l.createdAt),
      })),
    }),
  )

  r.post(
    '/api/v1/tickets/:number/links',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Link this ticket to another',
        description:
          'Needs `ticket.edit` here and sight of the other ticket (400 `link_target_not_found` otherwise, as for a ' +
          'missing one). Shown on both tickets; 409 `already_linked`.',
        params: TicketParams,
        body: AddLink,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await addLink(app, requireActor(req), req.params.number, req.body, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.delete(
    '/api/v1/tickets/:number/links',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Remove the link between this ticket and another',
        params: TicketParams,
        body: RemoveLink,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeLink(app, requireActor(req), req.params.number, req.body, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/tickets/:number/split',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Split customer messages off into a new ticket',
        description:
          'Needs `ticket.edit`. The messages (customer messages only, 400 `split_not_message`) and their ' +
          'attachments move to a new ticket for the same requester in the same department, linked to this one ' +
          'as its child.',
        params: TicketParams,
        body: SplitTicket,
        response: {
          201: z.object({ original: TicketOut, created: TicketOut, moved: z.number() }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const done = await splitTicket(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return reply.code(201).send({
        original: present(req, done.original),
        created: present(req, done.created),
        moved: done.moved,
      })
    },
  )

  r.get(
    '/api/v1/tickets/:number/tasks',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Tasks of a ticket, with their notes',
        description: 'Agents who may see the ticket. Customers are never shown tasks.',
        params: TicketParams,
        response: { 200: z.object({ items: z.array(TaskOut) }), ...errors },
      },
    },
    async (req) => ({
      items: (await listTasks(app, requireActor(req), req.params.number)).map(presentTask),
    }),
  )

  r.post(
    '/api/v1/tickets/:number/tasks',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Add a task to a ticket',
        description:
          'Needs `ticket.edit`. An assigned agent must be able to open the ticket (400 `task_assignee_cannot_see`) ' +
          'and is notified, as are the members of an assigned team. Without `dueAt` the task is due when the ' +
          'ticket’s SLA resolution target is. While a task is open the ticket cannot be resolved or closed ' +
          '(409 `open_tasks`) unless the change says `force: true`.',
        params: TicketParams,
        body: CreateTask,
        response: { 201: z.object({ task: TaskOut }), ...errors },
      },
    },
    async (req, reply) => {
      const task = await createTask(app, requireActor(req), req.params.number, req.body, {
        channel: req.channel,
      })
      return reply.code(201).send({ task: presentTask(task) })
    },
  )

  r.patch(
    '/api/v1/tickets/:number/tasks/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Complete, reopen, reassign or reschedule a task',
        description:
          '`completed` may be set by the assignee (or a member of the assigned team) or an agent with ' +
          '`ticket.edit`; the other fields need `ticket.edit`.',
        params: TaskParams,
        body: UpdateTask,
        response: { 200: z.object({ task: TaskOut }), ...errors },
      },
    },
    async (req) => ({
      task: presentTask(
        await changeTask(app, requireActor(req), req.params.number, req.params.id, req.body, {
          channel: req.channel,
        }),
      ),
    }),
  )

  r.post(
    '/api/v1/tickets/:number/tasks/:id/notes',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Write a short note on a task',
        description: 'Agents who may see the ticket. Task notes are never shown to customers.',
        params: TaskParams,
        body: AddTaskNote,
        response: { 201: z.object({ task: TaskOut }), ...errors },
      },
    },
    async (req, reply) => {
      const task = await addTaskNote(app, requireActor(req), req.params.number, req.params.id, req.body, {
        channel: req.channel,
      })
      return reply.code(201).send({ task: presentTask(task) })
    },
  )

  r.get(
    '/api/v1/tasks',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'My tasks',
        description:
          'Tasks assigned to you or (when no agent holds them) to one of your teams, on tickets you may see; ' +
          'open ones by default, soonest due first (`status=all` adds completed ones).',
        querystring: z.object({ status: z.enum(['open', 'all']).default('open') }),
        response: { 200: z.object({ items: z.array(TaskOut) }), ...errors },
      },
    },
    async (req) => ({
      items: (await myTasks(app, requireActor(req), { open: req.query.status === 'open' })).map(presentTask),
    }),
  )
}
