// What a queue page asks the server for: the queue (its key in the URL path), the agent's filters and sort (the
// URL's query string, so a filtered queue can be bookmarked, shared and reloaded), and, for a saved view, the
// view's own filters under them.
import {
  DEFAULT_COLUMNS,
  QUEUE_COLUMN_LABELS,
  QUEUE_COLUMNS,
  QUEUE_SORT_LABELS,
  QUEUE_SORTS,
  SLA_FILTER_LABELS,
  SLA_FILTERS as SHARED_SLA_FILTERS,
} from '@shared/queues.ts'
import { ACTIVE_CATEGORIES } from '@shared/tickets.ts'
import type { QueueFilters, QueueSort, SortOrder, View } from '../../api.ts'

/** The queue vocabulary (src/shared/queues.ts) as the filter bar and column picker list it. */
const named = <K extends string>(keys: readonly K[], names: Record<K, string>) =>
  keys.map((key) => ({ key, name: names[key] }))
export const SORTS = named(QUEUE_SORTS, QUEUE_SORT_LABELS)
export const SLA_FILTERS = named(SHARED_SLA_FILTERS, SLA_FILTER_LABELS)
export const COLUMNS = named(QUEUE_COLUMNS, QUEUE_COLUMN_LABELS)
export { DEFAULT_COLUMNS }

/** The active status categories: what the built-in queues (Mine, Open, Unassigned…) show. */
const ACTIVE = [...ACTIVE_CATEGORIES]

/** The filter fields the URL may carry, as lists. The filter bar edits the first four. */
const LIST_FIELDS = [
  'priority',
  'status',
  'assignee',
  'sla',
  'statusCategory',
  'departmentId',
  'teamId',
  'requester',
  'organizationId',
  'tag',
] as const
type ListField = (typeof LIST_FIELDS)[number]
const NUMERIC: ListField[] = ['departmentId', 'teamId', 'organizationId']
const DATE_FIELDS = ['createdFrom', 'createdTo', 'updatedFrom', 'updatedTo'] as const

/** In the URL, `any` clears a filter that a saved view sets. */
export const ANY = 'any'

export interface QueueState {
  filters: QueueFilters
  sort: QueueSort
  order: SortOrder
  /** Did the agent change anything in the URL on top of the queue or view? */
  overridden: boolean
}

function values(params: URLSearchParams, field: string): string[] {
  return params
    .getAll(field)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '')
}

function parseList(field: ListField, raw: string[]): unknown[] {
  if (NUMERIC.includes(field)) return raw.map(Number).filter((n) => Number.isInteger(n) && n > 0)
  if (field === 'assignee' || field === 'requester') return raw.map((v) => (/^\d+$/.test(v) ? Number(v) : v))
  return raw
}

/** The filters and sort a queue shows: the saved view's (if any), then whatever the URL says on top. */
export function queueState(params: URLSearchParams, view: View | undefined): QueueState {
  const filters: Record<string, unknown> = { ...(view?.filters ?? {}) }
  let overridden = false
  for (const field of LIST_FIELDS) {
    const raw = values(params, field)
    if (raw.length === 0) continue
    overridden = true
    if (raw.includes(ANY)) delete filters[field]
    else filters[field] = parseList(field, raw)
  }
  for (const field of DATE_FIELDS) {
    const raw = params.get(field)
    if (raw) {
      overridden = true
      filters[field] = raw
    }
  }
  if (params.get('following') === 'true') {
    overridden = true
    filters.following = true
  }
  const sortParam = params.get('sort')
  const orderParam = params.get('order')
  const sort = SORTS.some((s) => s.key === sortParam) ? (sortParam as QueueSort) : undefined
  const order = orderParam === 'asc' || orderParam === 'desc' ? orderParam : undefined
  if (sort || order) overridden = true
  return {
    filters: filters as QueueFilters,
    sort: sort ?? view?.sort.sort ?? 'activity',
    order: order ?? view?.sort.order ?? (sort === 'due' ? 'asc' : 'desc'),
    overridden,
  }
}

function appendFilters(query: URLSearchParams, filters: QueueFilters): void {
  for (const [field, value] of Object.entries(filters) as [string, unknown][]) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      if (value.length > 0) query.set(field, value.join(','))
    } else query.set(field, String(value))
  }
}

/** GET /api/v1/tickets for a queue key (`open`, `department:3`, `view:7`…) or a search, without the cursor. */
export function listQuery(key: string | undefined, q: string | null, state: QueueState): URLSearchParams {
  const query = new URLSearchParams()
  if (q !== null) {
    query.set('view', 'all')
    query.set('q', q)
  } else if (key?.startsWith('department:')) {
    query.set('view', 'open')
    query.set('departmentId', key.slice('department:'.length))
  } else if (key?.startsWith('view:')) {
    // Untouched, the server applies the saved view itself; changed, every filter is spelled out.
    if (state.overridden) query.set('view', 'all')
    else query.set('viewId', key.slice('view:'.length))
  } else {
    query.set('view', key === 'mine' || key === 'unassigned' || key === 'following' ? key : 'open')
  }
  if (!key?.startsWith('view:') || state.overridden) appendFilters(query, state.filters)
  // A search keeps the server's ranking (the ticket whose number was typed comes first) unless a sort is chosen.
  if (q === null || state.overridden) {
    query.set('sort', state.sort)
    query.set('order', state.order)
  }
  query.set('limit', '100')
  return query
}

/** The filters a queue implies before the agent narrows it, so a view saved from it keeps showing the same. */
export function impliedFilters(key: string | undefined): QueueFilters {
  if (key?.startsWith('department:'))
    return { statusCategory: ACTIVE, departmentId: [Number(key.slice('department:'.length))] }
  switch (key) {
    case 'mine':
      return { statusCategory: ACTIVE, assignee: ['me'] }
    case 'unassigned':
      return { statusCategory: ACTIVE, assignee: ['none'] }
    case 'following':
      return { following: true }
    case undefined:
      return {}
    default:
      return key.startsWith('view:') ? {} : { statusCategory: ACTIVE }
  }
}

/** The filters to store in a view saved from what the agent sees now. */
export function filtersToSave(key: string | undefined, q: string | null, state: QueueState): QueueFilters {
  const base = q !== null ? {} : impliedFilters(key)
  const merged: QueueFilters = { ...base, ...state.filters }
  // A chosen status replaces "any active status".
  if (state.filters.status) delete merged.statusCategory
  return merged
}

/** The URL query string after changing one filter of the bar (`''` = any). */
export function withFilter(
  params: URLSearchParams,
  field: 'priority' | 'status' | 'assignee' | 'sla',
  value: string,
  viewSetsIt: boolean,
): URLSearchParams {
  const next = new URLSearchParams(params)
  next.delete(field)
  if (value !== '') next.set(field, value)
  else if (viewSetsIt) next.set(field, ANY)
  return next
}

export function withSort(params: URLSearchParams, sort: QueueSort, order: SortOrder): URLSearchParams {
  const next = new URLSearchParams(params)
  next.set('sort', sort)
  next.set('order', order)
  return next
}
