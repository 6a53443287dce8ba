// The vocabulary of an agent's queue: in what order (sort), narrowed how (SLA filter), shown how (columns), with
// the words the web app shows. The filters' schema is src/domain/queueFilters.ts; src/shared/ files import
// nothing (the web app bundles them too).

export const QUEUE_SORTS = ['activity', 'created', 'updated', 'priority', 'due'] as const
export type QueueSort = (typeof QUEUE_SORTS)[number]
export const QUEUE_SORT_LABELS: Record<QueueSort, string> = {
  activity: 'Last activity',
  created: 'Created',
  updated: 'Updated',
  priority: 'Priority',
  due: 'SLA due',
}

export const SORT_ORDERS = ['asc', 'desc'] as const
export type SortOrder = (typeof SORT_ORDERS)[number]

export const SLA_FILTERS = ['at_risk', 'breached', 'paused'] as const
export type SlaFilter = (typeof SLA_FILTERS)[number]
export const SLA_FILTER_LABELS: Record<SlaFilter, string> = {
  at_risk: 'At risk',
  breached: 'Breached',
  paused: 'Paused',
}

/** The built-in queues. `following`: tickets the agent follows. */
export const BUILT_IN_VIEWS = ['mine', 'open', 'unassigned', 'all', 'following'] as const
export type BuiltInView = (typeof BUILT_IN_VIEWS)[number]

export const QUEUE_COLUMNS = [
  'number',
  'subject',
  'requester',
  'status',
  'priority',
  'department',
  'assignee',
  'sla',
  'updated',
  'created',
  'tags',
] as const
export type QueueColumn = (typeof QUEUE_COLUMNS)[number]
export const QUEUE_COLUMN_LABELS: Record<QueueColumn, string> = {
  number: 'Number',
  subject: 'Subject',
  requester: 'Requester',
  status: 'Status',
  priority: 'Priority',
  department: 'Department',
  assignee: 'Assignee',
  sla: 'SLA due',
  updated: 'Updated',
  created: 'Created',
  tags: 'Tags',
}
export const DEFAULT_COLUMNS: QueueColumn[] = [
  'number',
  'subject',
  'requester',
  'status',
  'priority',
  'assignee',
  'sla',
  'updated',
  'tags',
]
