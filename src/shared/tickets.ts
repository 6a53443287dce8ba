// The closed vocabularies of a ticket, with the words people see. One copy: the server validates and stores
// these exact strings, and the web app builds its selects and labels from the same constants. Files in
// src/shared/ import nothing (the web app bundles them too).

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
export const STATUS_CATEGORY_LABELS: Record<StatusCategory, string> = {
  open: 'Open',
  pending: 'Pending (SLA paused)',
  on_hold: 'On hold (SLA paused)',
  resolved: 'Resolved',
  closed: 'Closed',
}

/** Categories in which a ticket is still being worked on: the "open" queues show these. */
export const ACTIVE_CATEGORIES: readonly StatusCategory[] = ['open', 'pending', 'on_hold']

/** Where a ticket came from (the channel of its first message). */
export const SOURCES = ['web', 'email', 'api', 'agent'] as const
export type Source = (typeof SOURCES)[number]

/** A thread entry: a customer's message, an agent's public response, or an internal note. */
export const ENTRY_KINDS = ['message', 'response', 'note'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]

/** Links between tickets as stored, and as they read from the other ticket (the duplicate's original). */
export const LINK_KINDS = ['related', 'parent', 'child', 'duplicate'] as const
export type LinkKind = (typeof LINK_KINDS)[number]
export const SHOWN_LINK_KINDS = [...LINK_KINDS, 'original'] as const
export type ShownLinkKind = (typeof SHOWN_LINK_KINDS)[number]

/** What happened to each ticket of a bulk change, in the order the web app reports them. */
export const BULK_OUTCOMES = [
  'updated',
  'unchanged',
  'conflict',
  'forbidden',
  'invalid',
  'not_found',
] as const
export type BulkOutcome = (typeof BULK_OUTCOMES)[number]
