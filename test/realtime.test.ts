// Committed events reach live subscribers after commit, through the outbox, on every database (on PostgreSQL
// through NOTIFY/LISTEN, so another process would see them too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeMessage } from '../src/realtime/bus.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('realtime delivery on %s', (kind) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer(kind)
  })
  afterAll(() => t.close())

  it('publishes each change once, after commit, and empties the outbox', async () => {
    const seen: RealtimeMessage[] = []
    const unsubscribe = t.app.bus.subscribe((m) => seen.push(m))
    const ken = await new Client(t.url).as('ken@example.com')
    const created = await ken.post('/api/v1/tickets', { subject: 'Live', message: 'watch this' })
    const number = created.body.ticket.number
    await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'and this' })
    for (let i = 0; i < 100 && seen.filter((m) => m.ticketNumber === number).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    unsubscribe()
    expect(seen.filter((m) => m.ticketNumber === number).map((m) => m.type)).toEqual([
      'ticket.created',
      'message.added',
    ])
    // Delivery comes before the row is deleted, so the outbox empties a moment after the last message arrives.
    const outboxRows = () => t.app.db.read.selectFrom('outbox').select(['id', 'topic']).execute()
    let left = await outboxRows()
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50))
      left = await outboxRows()
    }
    expect(left).toEqual([])
  })
})
