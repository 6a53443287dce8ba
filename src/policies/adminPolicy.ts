// Who may administer, and which changes an admin may not make to their own account.
import type { Actor, AgentActor } from './actor.ts'

export function isAdmin(actor: Actor): actor is AgentActor {
  return actor.kind === 'agent' && actor.isAdmin
}

/**
 * An admin may not disable or demote themselves: the last admin doing so would lock everyone out of the
 * console, and an admin losing access mid-session is never what they meant.
 */
export function isSelfDemotion(
  actor: AgentActor,
  targetId: number,
  change: { isActive?: boolean | undefined; isAdmin?: boolean | undefined },
): boolean {
  return actor.id === targetId && (change.isActive === false || change.isAdmin === false)
}
