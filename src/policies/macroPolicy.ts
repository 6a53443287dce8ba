// Who may see, keep and share macros. A personal macro is its owner's alone (anyone else is told it does not
// exist); a shared one is seen by every agent and kept by admins and agents whose role holds macro.share.
import type { Actor, AgentActor } from './actor.ts'

export interface MacroFacts {
  ownerAgentId: number
  shared: boolean
}

export function canShareMacros(actor: Actor): actor is AgentActor {
  if (actor.kind !== 'agent') return false
  return actor.isAdmin || [...actor.roles.values()].some((p) => p.has('macro.share'))
}

export function canSeeMacro(actor: Actor, m: MacroFacts): boolean {
  return actor.kind === 'agent' && (m.shared || m.ownerAgentId === actor.id)
}

export function canEditMacro(actor: Actor, m: MacroFacts): boolean {
  if (!canSeeMacro(actor, m)) return false
  return m.shared ? canShareMacros(actor) : m.ownerAgentId === actor.id
}
