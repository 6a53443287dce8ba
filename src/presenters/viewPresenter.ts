import { z } from 'zod'
import { QUEUE_COLUMNS, QUEUE_SORTS, SORT_ORDERS, StoredFilters } from '../domain/queueFilters.ts'
import type { SavedView } from '../queries/viewQueries.ts'

export const ViewOut = z.object({
  id: z.number(),
  name: z.string(),
  shared: z.boolean(),
  departmentId: z
    .number()
    .nullable()
    .describe('Shared views: the department whose agents see it; null: everyone'),
  ownerAgentId: z.number().nullable().describe('Personal views: their owner; null for shared views'),
  filters: StoredFilters,
  sort: z.object({ sort: z.enum(QUEUE_SORTS), order: z.enum(SORT_ORDERS) }),
  columns: z.array(z.enum(QUEUE_COLUMNS)),
  editable: z.boolean().describe('Whether you may change or delete it'),
})
export type ViewOut = z.infer<typeof ViewOut>

export function presentView(v: SavedView): ViewOut {
  return {
    id: v.id,
    name: v.name,
    shared: v.shared,
    departmentId: v.departmentId,
    ownerAgentId: v.ownerAgentId,
    filters: v.storedFilters,
    sort: { sort: v.sort.sort, order: v.sort.order },
    columns: v.columns,
    editable: v.editable,
  }
}
