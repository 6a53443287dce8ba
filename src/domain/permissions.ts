// Permission names follow osTicket's per-department role permissions (see shared/REFERENCE.md).

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

export const BUILT_IN_ROLES: { key: string; name: string; permissions: Permission[] }[] = [
  { key: 'all_access', name: 'All Access', permissions: [...PERMISSIONS] },
  {
    key: 'expanded_access',
    name: 'Expanded Access',
    permissions: PERMISSIONS.filter(
      (p) => p !== 'ticket.delete' && p !== 'macro.share' && p !== 'kb.publish',
    ),
  },
  {
    key: 'limited_access',
    name: 'Limited Access',
    permissions: ['ticket.create', 'ticket.assign', 'ticket.transfer', 'ticket.reply'],
  },
  { key: 'view_only', name: 'View Only', permissions: [] },
]

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value)
}
