// Macros: a named list of actions an agent applies to a ticket in one go (Zammad's "close and tag as spam").
// The action vocabulary is here; its schema and the rules for running it are src/commands/macros.ts.
import type { Priority } from './tickets.ts'

export const MACRO_ACTION_TYPES = [
  'set_status',
  'set_priority',
  'set_department',
  'set_assignee',
  'set_team',
  'add_tags',
  'remove_tags',
  'add_note',
  'send_reply',
] as const
export type MacroActionType = (typeof MACRO_ACTION_TYPES)[number]

export type MacroAction =
  | { type: 'set_status'; status: string }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'set_department'; departmentId: number }
  /** `me`: whoever applies the macro. null: unassign. */
  | { type: 'set_assignee'; agentId: number | 'me' | null }
  | { type: 'set_team'; teamId: number | null }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] }
  /** An internal note; canned-response variables such as {{ticket.number}} are filled in. */
  | { type: 'add_note'; body: string }
  /** A public reply with the canned response's text, its variables filled in for each ticket. */
  | { type: 'send_reply'; cannedResponseId: number }

/** The most actions one macro holds; each type at most once, so a macro never contradicts itself. */
export const MACRO_MAX_ACTIONS = MACRO_ACTION_TYPES.length

/** What applying the actions asks of the ticket commands, for the agent `actorId`. */
export interface MacroPlan {
  change: {
    status?: string
    priority?: Priority
    departmentId?: number
    assigneeAgentId?: number | null
    assigneeTeamId?: number | null
    addTags?: string[]
    removeTags?: string[]
  }
  note?: string
  cannedResponseId?: number
}

export function planOf(actions: readonly MacroAction[], actorId: number): MacroPlan {
  const plan: MacroPlan = { change: {} }
  for (const a of actions) {
    switch (a.type) {
      case 'set_status':
        plan.change.status = a.status
        break
      case 'set_priority':
        plan.change.priority = a.priority
        break
      case 'set_department':
        plan.change.departmentId = a.departmentId
        break
      case 'set_assignee':
        plan.change.assigneeAgentId = a.agentId === 'me' ? actorId : a.agentId
        break
      case 'set_team':
        plan.change.assigneeTeamId = a.teamId
        break
      case 'add_tags':
        plan.change.addTags = a.tags
        break
      case 'remove_tags':
        plan.change.removeTags = a.tags
        break
      case 'add_note':
        plan.note = a.body
        break
      case 'send_reply':
        plan.cannedResponseId = a.cannedResponseId
        break
    }
  }
  return plan
}
