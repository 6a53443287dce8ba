// Fans committed events out to the readers of the SSE stream. Each event goes only to readers who may see
// the ticket now: the ticket's access facts are loaded once per batch of events (not once per reader) and
// checked with the same rule as the detail view. Customers get only the event type and ticket number, and
// never the events that exist only on the agents' side (internal notes, follows).
import type { App } from '../app.ts'
import type { Actor } from '../policies/actor.ts'
import { canSeeTicket } from '../policies/ticketPolicy.ts'
import { accessFactsOf, type TicketAccessRow } from '../repositories/ticketAccessRepo.ts'
import type { RealtimeMessage } from './bus.ts'

export interface LiveReader {
  actor: Actor
  send(event: string, data: unknown): void
}

/** Event types that reveal internal work; customers are not told they happened at all. */
const AGENT_ONLY_TYPES = new Set([
  'note.added',
  'ticket.followed',
  'ticket.unfollowed',
  // Tags are the agents' own filing; customers are not shown them (nor told they changed).
  'ticket.tagged',
  'ticket.untagged',
  // Tasks and links are agents only too (issue 12).
  'task.added',
  'task.updated',
  'task.note_added',
  'tasks.close_forced',
  'link.added',
  'link.removed',
])

export function mayRead(actor: Actor, t: TicketAccessRow): boolean {
  return canSeeTicket(actor, {
    departmentId: t.departmentId,
    assigneeAgentId: t.assigneeAgentId,
    assigneeTeamId: t.assigneeTeamId,
    requesterId: t.requesterId,
    followedByActor: actor.kind === 'agent' && t.followerIds.has(actor.id),
    collaboratingActor: actor.kind === 'customer' && t.collaboratorIds.has(actor.id),
  })
}

/** What a reader is sent about one ticket event, or undefined when they are sent nothing. */
export function ticketEventFor(actor: Actor, message: RealtimeMessage, t: TicketAccessRow) {
  if (!mayRead(actor, t)) return undefined
  if (actor.kind === 'customer') {
    if (AGENT_ONLY_TYPES.has(message.type)) return undefined
    return { type: message.type, ticketNumber: t.number }
  }
  return { type: message.type, ticketNumber: t.number, actorId: message.actorId }
}

/**
 * An agent who could see the ticket before the change and cannot now: the ticket left their queues, so their
 * counts changed. They are told only that (`queues`, no ticket), since they may no longer know of the ticket.
 */
function lostSight(actor: Actor, message: RealtimeMessage, t: TicketAccessRow): boolean {
  const was = message.formerly
  if (!was || actor.kind !== 'agent') return false
  return mayRead(actor, { ...t, ...was })
}

type Pending =
  | { kind: 'ticket'; message: RealtimeMessage }
  | { kind: 'agents'; ticketId: number; event: string; data: unknown }

export class LiveHub {
  readonly readers = new Set<LiveReader>()
  private pending: Pending[] = []
  private scheduled = false
  private chain: Promise<void> = Promise.resolve()
  private readonly unsubscribe: () => void
  private readonly unsubscribeResync: () => void

  constructor(private readonly app: App) {
    this.unsubscribe = app.bus.subscribe((message) => this.enqueue({ kind: 'ticket', message }))
    // Carries nothing a reader may not see: only "refetch what you show".
    this.unsubscribeResync = app.bus.onResync(() => {
      for (const reader of this.readers) reader.send('resync', {})
    })
  }

  add(reader: LiveReader): () => void {
    this.readers.add(reader)
    return () => this.readers.delete(reader)
  }

  /** Sends an event about a ticket to the agents who may see it (presence). */
  toAgentsOf(ticketId: number, event: string, data: unknown): void {
    this.enqueue({ kind: 'agents', ticketId, event, data })
  }

  close(): void {
    this.unsubscribe()
    this.unsubscribeResync()
    this.readers.clear()
  }

  /** Resolves once every event queued so far has been delivered (tests and shutdown). */
  settled(): Promise<void> {
    return this.chain
  }

  private enqueue(item: Pending): void {
    this.pending.push(item)
    if (this.scheduled) return
    this.scheduled = true
    // Events that arrive together (one drain of the outbox) are checked together.
    setImmediate(() => {
      this.scheduled = false
      const batch = this.pending
      this.pending = []
      this.chain = this.chain
        .then(() => this.deliver(batch))
        .catch((error: unknown) => {
          console.error('realtime: delivery failed', error)
        })
    })
  }

  private async deliver(batch: Pending[]): Promise<void> {
    if (this.readers.size === 0) return
    const ids = [...new Set(batch.map((p) => (p.kind === 'ticket' ? p.message.ticketId : p.ticketId)))]
    const facts = await accessFactsOf(this.app.db.read, ids)
    for (const item of batch) {
      const t = facts.get(item.kind === 'ticket' ? item.message.ticketId : item.ticketId)
      if (!t) continue
      for (const reader of this.readers) {
        if (item.kind === 'ticket') {
          const data = ticketEventFor(reader.actor, item.message, t)
          if (data) reader.send('ticket', data)
          else if (lostSight(reader.actor, item.message, t)) reader.send('queues', {})
        } else if (reader.actor.kind === 'agent' && mayRead(reader.actor, t)) {
          reader.send(item.event, item.data)
        }
      }
    }
  }
}
