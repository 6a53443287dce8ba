// A ticket's built-in statuses and limits. Its closed vocabularies (stored as these exact strings in both
// databases) are defined once in src/shared/tickets.ts, which the web app imports too, and re-exported here.
import type { StatusCategory } from '../shared/tickets.ts'
export {
  ACTIVE_CATEGORIES,
  ENTRY_KINDS,
  PRIORITIES,
  PRIORITY_LABELS,
  SOURCES,
  STATUS_CATEGORIES,
  type EntryKind,
  type Priority,
  type Source,
  type StatusCategory,
} from '../shared/tickets.ts'

/** The built-in statuses; each one is also the only status of its category until admins add more. */
export const BUILT_IN_STATUSES: { key: string; name: string; category: StatusCategory }[] = [
  { key: 'open', name: 'Open', category: 'open' },
  { key: 'pending', name: 'Pending', category: 'pending' },
  { key: 'on_hold', name: 'On hold', category: 'on_hold' },
  { key: 'resolved', name: 'Resolved', category: 'resolved' },
  { key: 'closed', name: 'Closed', category: 'closed' },
]

export function isFinished(category: StatusCategory): boolean {
  return category === 'resolved' || category === 'closed'
}

/**
 * The synthetic seed numbers its tickets id + 100000. Every other ticket gets its number from the counter of
 * migration 0017 (db/dialect.ts nextTicketNumber), which skips numbers taken (imported tickets keep theirs).
 */
export const TICKET_NUMBER_OFFSET = 100_000
export const ticketNumberFor = (id: number): string => String(TICKET_NUMBER_OFFSET + id)

export const SUBJECT_MAX = 255
export const BODY_MAX = 200_000
