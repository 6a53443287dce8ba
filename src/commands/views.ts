// Saved queue views: create, change, delete. Personal views are their owner's; shared ones need `view.share`
// in their department (or, shared with every agent, in any department), or an admin.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { DB } from '../db/schema.ts'
import type { App } from '../app.ts'
import {
  DEFAULT_COLUMNS,
  QUEUE_COLUMNS,
  QueueFilters,
  QueueOrder,
  storedFilters,
} from '../domain/queueFilters.ts'
import { AppError, badRequest, notFound } from '../errors.ts'
import type { AgentActor } from '../policies/actor.ts'
import { canEditView, canSeeView, canShareWith } from '../policies/viewPolicy.ts'
import { findDepartment } from '../repositories/directoryRepo.ts'
import { insertEvents, type Channel } from '../repositories/eventRepo.ts'
import { deleteViewRow, findView, insertView, updateViewRow, type ViewRow } from '../repositories/viewRepo.ts'
import { viewOf, type SavedView } from '../queries/viewQueries.ts'
import { id, nonBlank } from './fields.ts'

const Columns = z
  .array(z.enum(QUEUE_COLUMNS))
  .min(1)
  .max(QUEUE_COLUMNS.length)
  .transform((c) => [...new Set(c)])

export const CreateView = z.object({
  name: nonBlank(100),
  shared: z.boolean().default(false),
  /** Shared views only: the department whose agents see it; null or absent: every agent. */
  departmentId: id.nullable().default(null),
  filters: QueueFilters.default({}),
  sort: QueueOrder.default({ sort: 'activity', order: 'desc' }),
  columns: Columns.default(DEFAULT_COLUMNS),
})
export type CreateView = z.infer<typeof CreateView>

export const UpdateView = z.object({
  name: nonBlank(100).optional(),
  shared: z.boolean().optional(),
  departmentId: id.nullable().optional(),
  filters: QueueFilters.optional(),
  sort: QueueOrder.optional(),
  columns: Columns.optional(),
})
export type UpdateView = z.infer<typeof UpdateView>

const cannotShare = () =>
  new AppError(
    'forbidden',
    'view_share_forbidden',
    'Sharing a view needs the view.share permission in its department (or an admin).',
  )

async function checkAudience(app: App, agent: AgentActor, shared: boolean, departmentId: number | null) {
  if (!shared) {
    if (departmentId !== null)
      throw badRequest(
        'personal_view_department',
        'A personal view has no department; share it to give it one.',
      )
    return
  }
  if (departmentId !== null) {
    const department = await findDepartment(app.db.read, departmentId)
    if (!department) throw badRequest('unknown_department', 'That department does not exist.')
  }
  if (!canShareWith(agent, departmentId)) throw cannotShare()
}

const factsOf = (row: ViewRow) => ({
  ownerAgentId: row.owner_agent_id,
  shared: row.shared === 1,
  departmentId: row.department_id,
})

async function record(
  trx: Kysely<DB>,
  agent: AgentActor,
  channel: Channel,
  type: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  at: number,
) {
  await insertEvents(
    trx,
    [{ ticketId: null, actorId: agent.id, type, channel, before, after, at }],
    agent.origin,
  )
}

export async function createView(
  app: App,
  agent: AgentActor,
  input: CreateView,
  meta: { channel: Channel },
): Promise<SavedView> {
  await checkAudience(app, agent, input.shared, input.departmentId)
  const at = app.clock.now()
  const id = await app.db.transact(async (trx) => {
    const id = await insertView(trx, {
      name: input.name,
      owner_agent_id: input.shared ? null : agent.id,
      shared: input.shared ? 1 : 0,
      department_id: input.departmentId,
      filters: JSON.stringify(storedFilters(input.filters)),
      sort: input.sort.sort,
      sort_order: input.sort.order,
      columns: JSON.stringify(input.columns),
      created_by: agent.id,
      created_at: at,
      updated_at: at,
    })
    await record(
      trx,
      agent,
      meta.channel,
      'view.created',
      null,
      { viewId: id, name: input.name, shared: input.shared },
      at,
    )
    return id
  })
  return viewOf(agent, (await findView(app.db.read, id))!)
}

/** Loads a view for a change: unseen is 404, seen but not the agent's to change is 403. */
async function editableView(trx: Kysely<DB>, agent: AgentActor, id: number) {
  const row = await findView(trx, id)
  if (!row || !canSeeView(agent, factsOf(row))) throw notFound('view')
  if (!canEditView(agent, factsOf(row))) throw cannotShare()
  return row
}

export async function updateView(
  app: App,
  agent: AgentActor,
  viewId: number,
  input: UpdateView,
  meta: { channel: Channel },
): Promise<SavedView> {
  await app.db.transact(async (trx) => {
    const row = await editableView(trx, agent, viewId)
    const shared = input.shared ?? row.shared === 1
    const departmentId =
      input.departmentId !== undefined ? input.departmentId : shared ? row.department_id : null
    if (shared !== (row.shared === 1) || departmentId !== row.department_id)
      await checkAudience(app, agent, shared, departmentId)
    const at = app.clock.now()
    await updateViewRow(trx, row.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      shared: shared ? 1 : 0,
      // A view made personal becomes the personal view of whoever did it.
      owner_agent_id: shared ? null : (row.owner_agent_id ?? agent.id),
      department_id: departmentId,
      ...(input.filters !== undefined ? { filters: JSON.stringify(storedFilters(input.filters)) } : {}),
      ...(input.sort !== undefined ? { sort: input.sort.sort, sort_order: input.sort.order } : {}),
      ...(input.columns !== undefined ? { columns: JSON.stringify(input.columns) } : {}),
      updated_at: at,
    })
    await record(
      trx,
      agent,
      meta.channel,
      'view.updated',
      { viewId: row.id, name: row.name },
      { viewId: row.id, ...input },
      at,
    )
  })
  return viewOf(agent, (await findView(app.db.read, viewId))!)
}

export async function deleteView(
  app: App,
  agent: AgentActor,
  viewId: number,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const row = await editableView(trx, agent, viewId)
    await deleteViewRow(trx, row.id)
    await record(
      trx,
      agent,
      meta.channel,
      'view.deleted',
      { viewId: row.id, name: row.name },
      null,
      app.clock.now(),
    )
  })
}
