// The vocabulary of an agent's queue: which tickets (filters), in what order (sort), shown how (columns).
// One definition, used by GET /api/v1/tickets (from a query string), by saved views (stored as JSON), by the
// counts in GET /api/v1/queues and by the web app's filter bar. The SQL for each filter lives in the ticket
// repository; this file only says what may be asked.
import { z } from 'zod'
import { PRIORITIES, STATUS_CATEGORIES } from './tickets.ts'

// The sorts, SLA filters, built-in views and columns are defined once in src/shared/queues.ts (the web app's
// filter bar imports them too).
import { QUEUE_SORTS, SLA_FILTERS, SORT_ORDERS } from '../shared/queues.ts'
export {
  BUILT_IN_VIEWS,
  DEFAULT_COLUMNS,
  QUEUE_COLUMNS,
  QUEUE_SORTS,
  SLA_FILTERS,
  SORT_ORDERS,
  type BuiltInView,
  type QueueColumn,
  type QueueSort,
} from '../shared/queues.ts'

const MAX_INT = 2_147_483_647
const id = z.coerce.number().int().positive().max(MAX_INT)
const token = z
  .string()
  .min(1)
  .max(64)
  .refine((s) => !s.includes('\u0000') && s.isWellFormed(), { message: 'must be valid text' })

/** A query-string list: `?priority=high&priority=emergency` or `?priority=high,emergency`. At most 50. */
function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v])
            .flatMap((s) => (typeof s === 'string' ? s.split(',') : [s]))
            .filter((s) => s !== ''),
    z.array(item).min(1).max(50),
  )
}

const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => Date.parse(s))
  .describe('ISO 8601 date or date-time')

/** `assignee=me`, `none`, or an agent id. */
const assignee = z.union([z.literal('me'), z.literal('none'), id])

/** What a queue can be filtered by. Every field narrows; an absent field does not filter. */
export const QueueFilters = z.object({
  status: list(token).optional().describe('Status keys'),
  statusCategory: list(z.enum(STATUS_CATEGORIES)).optional(),
  priority: list(z.enum(PRIORITIES)).optional(),
  departmentId: list(id).optional(),
  assignee: list(assignee).optional().describe('`me`, `none`, or agent ids'),
  teamId: list(id).optional(),
  requester: list(z.union([id, z.email().max(254)]))
    .optional()
    .describe('Customer ids or email addresses'),
  organizationId: list(id).optional(),
  tag: list(token).optional(),
  sla: list(z.enum(SLA_FILTERS)).optional(),
  createdFrom: instant.optional(),
  createdTo: instant.optional(),
  updatedFrom: instant.optional(),
  updatedTo: instant.optional(),
  following: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).optional(),
})
export type QueueFilters = z.infer<typeof QueueFilters>

export const QueueOrder = z.object({
  sort: z.enum(QUEUE_SORTS).default('activity'),
  order: z.enum(SORT_ORDERS).default('desc'),
})
export type QueueOrder = z.infer<typeof QueueOrder>

/**
 * Filters as a saved view stores and returns them: lists as arrays, dates as ISO 8601 instants. This form
 * parses back through QueueFilters unchanged.
 */
export const StoredFilters = z.object({
  status: z.array(z.string()).optional(),
  statusCategory: z.array(z.enum(STATUS_CATEGORIES)).optional(),
  priority: z.array(z.enum(PRIORITIES)).optional(),
  departmentId: z.array(z.number()).optional(),
  assignee: z.array(z.union([z.literal('me'), z.literal('none'), z.number()])).optional(),
  teamId: z.array(z.number()).optional(),
  requester: z.array(z.union([z.number(), z.string()])).optional(),
  organizationId: z.array(z.number()).optional(),
  tag: z.array(z.string()).optional(),
  sla: z.array(z.enum(SLA_FILTERS)).optional(),
  createdFrom: z.string().optional(),
  createdTo: z.string().optional(),
  updatedFrom: z.string().optional(),
  updatedTo: z.string().optional(),
  following: z.boolean().optional(),
})
export type StoredFilters = z.infer<typeof StoredFilters>

const DATE_FILTERS = ['createdFrom', 'createdTo', 'updatedFrom', 'updatedTo'] as const

export function storedFilters(filters: QueueFilters): StoredFilters {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue
    out[key] = (DATE_FILTERS as readonly string[]).includes(key)
      ? new Date(value as number).toISOString()
      : value
  }
  return out as StoredFilters
}
