// Per-department permissions (after osTicket's role permissions) and the built-in roles that bundle them, with
// the words people see. Which role holds which permissions is src/domain/permissions.ts; src/shared/ files
// import nothing (the web app bundles them too).

export const PERMISSIONS = [
  'ticket.create',
  'ticket.edit',
  'ticket.assign',
  'ticket.transfer',
  'ticket.reply',
  'ticket.close',
  'ticket.delete',
  /** Merge a ticket into another and undo it (needed in both tickets' departments). */
  'ticket.merge',
  /** Create, change and delete shared macros (admins may too). */
  'macro.share',
  /** Make saved queue views shared with a department (where held) or every agent. */
  'view.share',
  /** Write knowledge-base articles and categories, and change drafts (issue 17). */
  'kb.edit',
  /** Publish, archive, change or delete published knowledge-base articles. */
  'kb.publish',
] as const
export type Permission = (typeof PERMISSIONS)[number]
export const PERMISSION_LABELS: Record<Permission, string> = {
  'ticket.create': 'Create tickets',
  'ticket.edit': 'Edit tickets',
  'ticket.assign': 'Assign tickets',
  'ticket.transfer': 'Transfer tickets',
  'ticket.reply': 'Reply to tickets',
  'ticket.close': 'Close tickets',
  'ticket.delete': 'Delete tickets',
  'ticket.merge': 'Merge tickets',
  'macro.share': 'Share macros',
  'view.share': 'Share queue views',
  'kb.edit': 'Write knowledge-base articles',
  'kb.publish': 'Publish knowledge-base articles',
}

export const ROLE_KEYS = ['all_access', 'expanded_access', 'limited_access', 'view_only'] as const
export type RoleKey = (typeof ROLE_KEYS)[number]
export const ROLE_LABELS: Record<RoleKey, string> = {
  all_access: 'All Access',
  expanded_access: 'Expanded Access',
  limited_access: 'Limited Access',
  view_only: 'View Only',
}
