// The closed vocabularies of a ticket. Stored as these exact strings in both databases.

export const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const
export type Priority = (typeof PRIORITIES)[number]
export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  emergency: 'Emergency',
}

/** What a status means. Later work (SLA pausing, auto-close, queues) keys off the category, never the name. */
export const STATUS_CATEGORIES = ['open', 'pending', 'on_hold', 'resolved', 'closed'] as const
export type StatusCategory = (typeof STATUS_CATEGORIES)[number]

/** The built-in statuses; each one is also the only status of its category until admins add more. */
export const BUILT_IN_STATUSES: { key: string; name: string; category: StatusCategory }[] = [
  { key: 'open', name: 'Open', category: 'open' },
  { key: 'pending', name: 'Pending', category: 'pending' },
  { key: 'on_hold', name: 'On hold', category: 'on_hold' },
  { key: 'resolved', name: 'Resolved', category: 'resolved' },
  { key: 'closed', name: 'Closed', category: 'closed' },
]

/** Categories in which a ticket is still being worked on: the "open" queues show these. */
export const ACTIVE_CATEGORIES: readonly StatusCategory[] = ['open', 'pending', 'on_hold']

export function isFinished(category: StatusCategory): boolean {
  return category === 'resolved' || category === 'closed'
}

export const SOURCES = ['web', 'email', 'api', 'agent'] as const
export type Source = (typeof SOURCES)[number]

export const ENTRY_KINDS = ['message', 'response', 'note'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]

/**
 * The synthetic seed numbers its tickets id + 100000. Every other ticket gets its number from the counter of
 * migration 0017 (db/dialect.ts nextTicketNumber), which skips numbers taken (imported tickets keep theirs).
 */
export const TICKET_NUMBER_OFFSET = 100_000
export const ticketNumberFor = (id: number): string => String(TICKET_NUMBER_OFFSET + id)

export const SUBJECT_MAX = 255
export const BODY_MAX = 200_000
