import { z } from 'zod'
import type { Macro } from '../commands/macros.ts'
import { PRIORITIES } from '../domain/tickets.ts'
import type { AgentActor } from '../policies/actor.ts'
import { canEditMacro } from '../policies/macroPolicy.ts'

/** The stored actions as they go out (the input schema, MacroActionIn, also normalises tags on the way in). */
export const MacroActionOut = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_status'), status: z.string() }),
  z.object({ type: z.literal('set_priority'), priority: z.enum(PRIORITIES) }),
  z.object({ type: z.literal('set_department'), departmentId: z.number() }),
  z.object({ type: z.literal('set_assignee'), agentId: z.union([z.number(), z.literal('me')]).nullable() }),
  z.object({ type: z.literal('set_team'), teamId: z.number().nullable() }),
  z.object({ type: z.literal('add_tags'), tags: z.array(z.string()) }),
  z.object({ type: z.literal('remove_tags'), tags: z.array(z.string()) }),
  z.object({ type: z.literal('add_note'), body: z.string() }),
  z.object({ type: z.literal('send_reply'), cannedResponseId: z.number() }),
])

export const MacroOut = z.object({
  id: z.number(),
  name: z.string(),
  shared: z.boolean(),
  ownerAgentId: z.number(),
  actions: z.array(MacroActionOut),
  editable: z.boolean().describe('Whether you may change or delete it'),
  updatedAt: z.string(),
})
export type MacroOut = z.infer<typeof MacroOut>

export function presentMacro(m: Macro, viewer: AgentActor): MacroOut {
  return {
    id: m.id,
    name: m.name,
    shared: m.shared,
    ownerAgentId: m.ownerAgentId,
    actions: m.actions,
    editable: canEditMacro(viewer, m),
    updatedAt: new Date(m.updatedAt).toISOString(),
  }
}
