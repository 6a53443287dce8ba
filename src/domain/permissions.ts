// Permission names follow osTicket's per-department role permissions (see shared/REFERENCE.md).

// The permissions and role keys are defined once in src/shared/permissions.ts (the web app imports them too).
import { PERMISSIONS, ROLE_LABELS, type Permission, type RoleKey } from '../shared/permissions.ts'
export { PERMISSIONS, type Permission, type RoleKey }

export const BUILT_IN_ROLES: { key: RoleKey; name: string; permissions: Permission[] }[] = [
  { key: 'all_access', name: ROLE_LABELS.all_access, permissions: [...PERMISSIONS] },
  {
    key: 'expanded_access',
    name: ROLE_LABELS.expanded_access,
    permissions: PERMISSIONS.filter(
      (p) => p !== 'ticket.delete' && p !== 'macro.share' && p !== 'kb.publish',
    ),
  },
  {
    key: 'limited_access',
    name: ROLE_LABELS.limited_access,
    permissions: ['ticket.create', 'ticket.assign', 'ticket.transfer', 'ticket.reply'],
  },
  { key: 'view_only', name: ROLE_LABELS.view_only, permissions: [] },
]

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value)
}
