// Which available agent gets the next ticket. Pure: the command gathers candidates and loads under a lock.

// The modes are defined once in src/shared/departments.ts (the admin console imports them too).
import { AUTO_ASSIGN_MODES, type AutoAssignMode } from '../shared/departments.ts'
export { AUTO_ASSIGN_MODES, type AutoAssignMode }

export interface CandidateLoad {
  id: number
  /** When auto-assignment last gave this agent a ticket; null if never. */
  lastAssignedAt: number | null
  openTickets: number
}

/**
 * round_robin: the agent who waited longest since their last auto-assigned ticket.
 * least_loaded: the agent with the fewest open tickets, then the one who waited longest.
 * Agents at or over the cap are never chosen; undefined when nobody can take it.
 */
export function chooseAssignee(
  mode: Exclude<AutoAssignMode, 'off'>,
  candidates: CandidateLoad[],
  cap: number | null,
): number | undefined {
  const eligible = candidates.filter((c) => cap === null || c.openTickets < cap)
  const waited = (a: CandidateLoad, b: CandidateLoad) =>
    (a.lastAssignedAt ?? -1) - (b.lastAssignedAt ?? -1) || a.id - b.id
  const order =
    mode === 'round_robin'
      ? waited
      : (a: CandidateLoad, b: CandidateLoad) => a.openTickets - b.openTickets || waited(a, b)
  return [...eligible].sort(order)[0]?.id
}
