// How a department hands out new tickets, with the words the admin console shows. Choosing the agent is
// src/domain/assignment.ts; src/shared/ files import nothing (the web app bundles them too).

/** How a department hands out new tickets. */
export const AUTO_ASSIGN_MODES = ['off', 'round_robin', 'least_loaded'] as const
export type AutoAssignMode = (typeof AUTO_ASSIGN_MODES)[number]
export const AUTO_ASSIGN_LABELS: Record<AutoAssignMode, string> = {
  off: 'Off',
  round_robin: 'Round robin',
  least_loaded: 'Least loaded',
}
