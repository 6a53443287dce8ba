import type { App } from '../app.ts'
import {
  DEFAULT_COLUMNS,
  QUEUE_COLUMNS,
  QueueFilters,
  QueueOrder,
  storedFilters,
  type QueueColumn,
  type StoredFilters,
} from '../domain/queueFilters.ts'
import { notFound } from '../errors.ts'
import type { AgentActor } from '../policies/actor.ts'
import { canEditView, canSeeView } from '../policies/viewPolicy.ts'
import { findView, viewsVisibleTo, type ViewRow } from '../repositories/viewRepo.ts'

export interface SavedView {
  id: number
  name: string
  shared: boolean
  departmentId: number | null
  ownerAgentId: number | null
  filters: QueueFilters
  storedFilters: StoredFilters
  sort: QueueOrder
  columns: QueueColumn[]
  editable: boolean
}

/**
 * A stored view, read back. A filter that no longer parses (a vocabulary changed since it was saved) is
 * dropped rather than failing the whole queue.
 */
export function viewOf(agent: AgentActor, row: ViewRow): SavedView {
  const raw = safeJson(row.filters)
  const filters: Record<string, unknown> = {}
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      const one = QueueFilters.safeParse({ [key]: value })
      if (one.success) Object.assign(filters, one.data)
    }
  }
  const sort = QueueOrder.safeParse({ sort: row.sort, order: row.sort_order })
  const columns = safeJson(row.columns)
  const facts = {
    ownerAgentId: row.owner_agent_id,
    shared: row.shared === 1,
    departmentId: row.department_id,
  }
  return {
    id: row.id,
    name: row.name,
    ...facts,
    filters: filters as QueueFilters,
    storedFilters: storedFilters(filters as QueueFilters),
    sort: sort.success ? sort.data : { sort: 'activity', order: 'desc' },
    columns: Array.isArray(columns)
      ? columns.filter((c): c is QueueColumn => (QUEUE_COLUMNS as readonly unknown[]).includes(c))
      : DEFAULT_COLUMNS,
    editable: canEditView(agent, facts),
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export async function listViews(app: App, agent: AgentActor): Promise<SavedView[]> {
  const rows = await viewsVisibleTo(app.db.read, {
    id: agent.id,
    departmentIds: [...agent.roles.keys()],
    isAdmin: agent.isAdmin,
  })
  return rows.map((r) => viewOf(agent, r))
}

/** A view the agent may see; any other (or a missing one) is the same 404. */
export async function findVisibleView(app: App, agent: AgentActor, id: number): Promise<SavedView> {
  const row = await findView(app.db.read, id)
  if (
    !row ||
    !canSeeView(agent, {
      ownerAgentId: row.owner_agent_id,
      shared: row.shared === 1,
      departmentId: row.department_id,
    })
  )
    throw notFound('view')
  return viewOf(agent, row)
}
