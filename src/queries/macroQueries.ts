import type { App } from '../app.ts'
import { toMacro, type Macro } from '../commands/macros.ts'
import type { AgentActor } from '../policies/actor.ts'
import { canShareMacros } from '../policies/macroPolicy.ts'
import { macrosFor } from '../repositories/macroRepo.ts'

/** The agent's own macros and the shared ones, and whether they may keep shared ones. */
export async function listMacros(
  app: App,
  agent: AgentActor,
): Promise<{ items: Macro[]; canShare: boolean }> {
  const rows = await macrosFor(app.db.read, agent.id)
  return { items: rows.map(toMacro), canShare: canShareMacros(agent) }
}
