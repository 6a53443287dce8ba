// Who has a ticket open, held in memory: presence is a hint for the people looking now, not a record, so it
// is not stored. Each report lasts 30 s; the web app repeats it while the page stays open.
export type PresenceState = 'viewing' | 'typing'

export interface Viewer {
  id: number
  name: string
  state: PresenceState
}

export const PRESENCE_TTL_MS = 30_000

export class PresenceBoard {
  private readonly byTicket = new Map<number, Map<number, Viewer & { expiresAt: number }>>()
  private readonly numbers = new Map<number, string>()

  /** Records (or with 'left', removes) an agent's presence; returns the ticket's viewers after the change. */
  report(
    ticket: { id: number; number: string },
    agent: { id: number; name: string },
    state: PresenceState | 'left',
    now: number,
  ): Viewer[] {
    const ticketId = ticket.id
    this.numbers.set(ticketId, ticket.number)
    let viewers = this.byTicket.get(ticketId)
    if (state === 'left') {
      viewers?.delete(agent.id)
    } else {
      if (!viewers) this.byTicket.set(ticketId, (viewers = new Map()))
      viewers.set(agent.id, { id: agent.id, name: agent.name, state, expiresAt: now + PRESENCE_TTL_MS })
    }
    return this.viewersOf(ticketId, now)
  }

  viewersOf(ticketId: number, now: number): Viewer[] {
    const viewers = this.byTicket.get(ticketId)
    if (!viewers) return []
    return [...viewers.values()]
      .filter((v) => v.expiresAt > now)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ id, name, state }) => ({ id, name, state }))
  }

  /** Drops expired reports; returns the tickets whose viewers changed. */
  sweep(now: number): { id: number; number: string }[] {
    const changed: { id: number; number: string }[] = []
    for (const [ticketId, viewers] of this.byTicket) {
      let dropped = false
      for (const [agentId, v] of viewers) {
        if (v.expiresAt <= now) {
          viewers.delete(agentId)
          dropped = true
        }
      }
      if (dropped) changed.push({ id: ticketId, number: this.numbers.get(ticketId) ?? '' })
      if (viewers.size === 0) {
        this.byTicket.delete(ticketId)
        this.numbers.delete(ticketId)
      }
    }
    return changed
  }
}
