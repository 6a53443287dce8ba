import { EventEmitter } from 'node:events'

/** What the outbox publishes after commit: enough for a subscriber to decide, by the access rule, who may see it. */
export interface RealtimeMessage {
  type: string
  ticketId: number
  ticketNumber: string
  eventIds: number[]
  actorId: number | null
  at: number
  /**
   * Who could see the ticket before this change, when the change moved it (transfer, assignment): agents
   * who could then and cannot now are told their queues changed, without a word about the ticket.
   */
  formerly?: { departmentId: number; assigneeAgentId: number | null; assigneeTeamId: number | null }
}

/** An agent's presence on a ticket, as one web process heard it; every process applies it to its board. */
export interface PresenceMessage {
  ticketId: number
  ticketNumber: string
  agent: { id: number; name: string }
  state: 'viewing' | 'typing' | 'left'
  at: number
}

/** In-process fan-out of committed events to live subscribers (the SSE stream). */
export class RealtimeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  publish(message: RealtimeMessage): void {
    this.emitter.emit('message', message)
  }

  /**
   * Says that events may have been missed (the LISTEN connection to PostgreSQL was down): subscribers tell
   * their readers to refetch what they show, which the database has in full.
   */
  resync(): void {
    this.emitter.emit('resync')
  }

  onResync(listener: () => void): () => void {
    this.emitter.on('resync', listener)
    return () => this.emitter.off('resync', listener)
  }

  publishPresence(message: PresenceMessage): void {
    this.emitter.emit('presence', message)
  }

  onPresence(listener: (message: PresenceMessage) => void): () => void {
    this.emitter.on('presence', listener)
    return () => this.emitter.off('presence', listener)
  }

  subscribe(listener: (message: RealtimeMessage) => void): () => void {
    this.emitter.on('message', listener)
    return () => this.emitter.off('message', listener)
  }
}
