// The history lines between the messages: "John Doe changed priority from Normal to Emergency". The server
// sends each event with the changed value in words (`display`); this says what happened. Events that repeat
// what the thread already shows (a message, a reply, a note, the ticket's creation) have no line.
import type { TicketEvent } from './api.ts'

const TARGETS: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
}

function who(e: TicketEvent): string {
  if (e.after && typeof e.after.ruleId === 'number') return 'A rule'
  if (e.after?.auto === true) return 'Auto-assignment'
  if (e.after?.escalation) return 'An SLA escalation'
  if (e.actor) return e.actor.name
  return e.channel === 'system' ? 'Switchboard' : 'Someone'
}

/** The history line for an event, or null when the thread shows it already (or it is not worth a line). */
export function eventText(e: TicketEvent): string | null {
  const b = e.display.before
  const a = e.display.after
  const by = who(e)
  switch (e.type) {
    case 'ticket.priority_changed':
      return `${by} changed priority from ${b ?? '—'} to ${a ?? '—'}`
    case 'ticket.status_changed':
      return b ? `${by} changed status from ${b} to ${a ?? '—'}` : `${by} set status to ${a ?? '—'}`
    case 'ticket.reopened':
      return `${by} reopened the ticket (${b ?? '—'} to ${a ?? '—'})`
    case 'ticket.transferred':
      return `${by} transferred the ticket from ${b ?? '—'} to ${a ?? '—'}`
    case 'ticket.assigned':
      return b
        ? `${by} reassigned the ticket from ${b} to ${a ?? '—'}`
        : `${by} assigned the ticket to ${a ?? '—'}`
    case 'ticket.released':
      return `${by} unassigned ${b ?? 'the agent'}`
    case 'ticket.team_assigned':
      return a ? `${by} assigned the ticket to team ${a}` : `${by} removed team ${b ?? ''}`.trim()
    case 'ticket.tagged':
      return `${by} added tag ${a ?? ''}`.trim()
    case 'ticket.untagged':
      return `${by} removed tag ${b ?? ''}`.trim()
    case 'collaborators.added':
      return `${by} copied ${a ?? 'someone'} on the ticket`
    case 'collaborators.removed':
      return `${by} stopped copying ${b ?? 'someone'}`
    case 'sla.breached':
      return `SLA breached: the ${TARGETS[a ?? ''] ?? 'SLA'} target was missed`
    case 'sla.at_risk':
      return `SLA at risk: the ${TARGETS[a ?? ''] ?? 'SLA'} target is near`
    case 'sla.escalated':
      return 'The SLA escalation ran'
    case 'sla.plan_changed':
      // The plan a new ticket starts with is not a change anyone made.
      return e.before?.planId == null ? null : `The SLA plan changed`
    case 'ticket.snoozed':
      return a ? `${by} snoozed the ticket until ${new Date(a).toLocaleString()}` : `${by} snoozed the ticket`
    case 'ticket.unsnoozed':
      return e.after?.status ? 'The snooze ended' : `${by} ended the snooze`
    case 'ticket.subject_changed':
      return `${by} changed the subject`
    case 'ticket.fields_changed':
      return `${by} changed the ticket’s fields`
    case 'ticket.macro_applied':
      return `${by} applied the macro ${typeof e.after?.name === 'string' ? `“${e.after.name}”` : ''}`.trim()
    case 'ticket.merged':
      return typeof e.after?.into === 'string'
        ? `${by} merged this ticket into #${e.after.into}`
        : `${by} merged this ticket`
    case 'ticket.merged_in':
      return typeof e.after?.from === 'string' ? `${by} merged #${e.after.from} into this ticket` : null
    case 'ticket.unmerged':
      return typeof e.before?.mergedInto === 'string'
        ? `${by} undid the merge into #${e.before.mergedInto}`
        : `${by} undid the merge`
    case 'ticket.unmerged_out':
      return typeof e.after?.from === 'string' ? `${by} undid the merge of #${e.after.from}` : null
    case 'ticket.split':
      return typeof e.after?.into === 'string' ? `${by} split messages off into #${e.after.into}` : null
    case 'satisfaction.rated': {
      const rating = e.after?.rating === 'good' ? 'Good' : e.after?.rating === 'bad' ? 'Bad' : '—'
      const comment = typeof e.after?.comment === 'string' ? `: “${e.after.comment}”` : ''
      return `${by} ${e.before ? 'changed their rating to' : 'rated the resolution'} ${rating}${comment}`
    }
    case 'time.logged':
      return typeof e.after?.minutes === 'number'
        ? `${by} logged ${e.after.minutes} min${e.after.billable === true ? ' (billable)' : ''}`
        : null
    case 'satisfaction.asked':
      return 'The requester was asked how we did'
    case 'ticket.followed':
      return `${by} started following the ticket`
    case 'ticket.unfollowed':
      return `${by} stopped following the ticket`
    default:
      return null
  }
}
