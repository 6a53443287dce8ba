// Who hears about what happened on a ticket. Pure: the command gathers the people, this decides.
import type { NewNotification } from '../repositories/notificationRepo.ts'

export type Happening =
  | { kind: 'assigned' }
  | { kind: 'transferred'; departmentName: string }
  | { kind: 'status'; statusName: string; finished: boolean }
  | { kind: 'note' }
  | { kind: 'response' }
  | { kind: 'message' }
  | { kind: 'reopened' }
  /** A merge, its undo, a link or a split: `what` completes "<actor> …" (e.g. "merged #5 into #3"). */
  | { kind: 'related'; what: string }
  /** The requester answered the satisfaction survey. */
  | { kind: 'rated'; rating: 'good' | 'bad' }

export interface Audience {
  actorId: number
  actorName: string
  ticketId: number
  number: string
  subject: string
  /** The assignee after the change (null when unassigned). */
  assigneeAgentId: number | null
  /** Members of the assigned team, when a team and no agent holds the ticket. */
  teamMemberIds: number[]
  followerIds: number[]
  /** Agents of the department a ticket was just transferred to, when it is now unassigned. */
  newDepartmentAgentIds: number[]
  requesterId: number
}

// When one change does several things, each person gets one notification: the most specific one.
const PRECEDENCE: Happening['kind'][] = [
  'assigned',
  'transferred',
  'reopened',
  'related',
  'rated',
  'status',
  'message',
  'response',
  'note',
]

export function ticketNotifications(audience: Audience, happenings: Happening[]): NewNotification[] {
  const a = audience
  const ref = `#${a.number} “${a.subject.length > 80 ? `${a.subject.slice(0, 79)}…` : a.subject}”`
  const byUser = new Map<number, NewNotification>()
  const give = (userId: number, kind: Happening['kind'], text: string) => {
    if (userId === a.actorId) return
    const current = byUser.get(userId)
    if (current && PRECEDENCE.indexOf(current.kind as Happening['kind']) <= PRECEDENCE.indexOf(kind)) return
    byUser.set(userId, { userId, ticketId: a.ticketId, kind, text })
  }
  const watchers = new Set<number>([
    ...(a.assigneeAgentId !== null ? [a.assigneeAgentId] : a.teamMemberIds),
    ...a.followerIds,
  ])

  for (const h of happenings) {
    switch (h.kind) {
      case 'assigned':
        if (a.assigneeAgentId !== null)
          give(a.assigneeAgentId, 'assigned', `${a.actorName} assigned ${ref} to you`)
        break
      case 'transferred':
        if (a.assigneeAgentId === null) {
          for (const id of a.newDepartmentAgentIds)
            give(id, 'transferred', `${ref} was transferred to ${h.departmentName}`)
        }
        break
      case 'status':
        for (const id of watchers) give(id, 'status', `${a.actorName} set ${ref} to ${h.statusName}`)
        if (h.finished) give(a.requesterId, 'status', `Your ticket ${ref} is now ${h.statusName}`)
        break
      case 'reopened':
        for (const id of watchers) give(id, 'reopened', `${a.actorName} reopened ${ref} with a new message`)
        break
      case 'note':
        for (const id of watchers) give(id, 'note', `${a.actorName} added an internal note on ${ref}`)
        break
      case 'response':
        for (const id of watchers) give(id, 'response', `${a.actorName} replied on ${ref}`)
        give(a.requesterId, 'response', `${a.actorName} replied to your ticket ${ref}`)
        break
      case 'message':
        for (const id of watchers) give(id, 'message', `${a.actorName} wrote on ${ref}`)
        break
      case 'related':
        for (const id of watchers) give(id, 'related', `${a.actorName} ${h.what}`)
        break
      case 'rated':
        for (const id of watchers)
          give(id, 'rated', `${a.actorName} rated ${ref} ${h.rating === 'good' ? 'Good' : 'Bad'}`)
        break
    }
  }
  return [...byUser.values()]
}
