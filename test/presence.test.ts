import { describe, expect, it } from 'vitest'
import { PRESENCE_TTL_MS, PresenceBoard } from '../src/realtime/presence.ts'

describe('presence board', () => {
  const ticket = { id: 7, number: '100007' }
  const john = { id: 1, name: 'John Doe' }
  const jane = { id: 2, name: 'Jane Doe' }

  it('lists who is viewing or typing, and forgets a report after 30 s', () => {
    const board = new PresenceBoard()
    board.report(ticket, john, 'viewing', 0)
    expect(board.report(ticket, jane, 'typing', 1_000)).toEqual([
      { id: 2, name: 'Jane Doe', state: 'typing' },
      { id: 1, name: 'John Doe', state: 'viewing' },
    ])
    expect(board.viewersOf(ticket.id, PRESENCE_TTL_MS - 1)).toHaveLength(2)
    expect(board.viewersOf(ticket.id, PRESENCE_TTL_MS)).toEqual([
      { id: 2, name: 'Jane Doe', state: 'typing' },
    ])
    expect(board.sweep(PRESENCE_TTL_MS)).toEqual([ticket])
    expect(board.sweep(PRESENCE_TTL_MS)).toEqual([])
    expect(board.sweep(PRESENCE_TTL_MS + 1_000)).toEqual([ticket])
    expect(board.viewersOf(ticket.id, PRESENCE_TTL_MS + 1_000)).toEqual([])
  })

  it('drops an agent who left, and renews a repeated report', () => {
    const board = new PresenceBoard()
    board.report(ticket, john, 'viewing', 0)
    board.report(ticket, john, 'viewing', 20_000)
    expect(board.viewersOf(ticket.id, 45_000)).toHaveLength(1)
    expect(board.report(ticket, john, 'left', 46_000)).toEqual([])
  })
})
