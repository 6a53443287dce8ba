// Committed events reach live subscribers after commit, through the outbox, on every database (on PostgreSQL
// through NOTIFY/LISTEN, so another process would see them too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeMessage } from '../src/realtime/bus.ts'
import { claimOutboxRows, deleteOutboxRows, enqueueMany } from '../src/repositories/outboxRepo.ts'
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

  it('claims outbox rows in the order they were written, whatever order the database returns them in', async () => {
    // Due only in the far future, so the running drainer leaves them to this test.
    const later = Date.now() + 10 * 365 * 86_400_000
    const payloads = Array.from({ length: 700 }, (_, i) => ({ i }))
    await t.app.db.transact((trx) => enqueueMany(trx, 'test.order', payloads, later))
    const claimed = await t.app.db.transact((trx) =>
      claimOutboxRows(t.app.db.dialect, trx, later, later + 1, 500),
    )
    try {
      expect(claimed.map((r) => JSON.parse(r.payload).i)).toEqual(payloads.slice(0, 500).map((p) => p.i))
    } finally {
      await t.app.db.transact(async (trx) => {
        await deleteOutboxRows(
          trx,
          claimed.map((r) => r.id),
        )
        await trx.deleteFrom('outbox').where('topic', '=', 'test.order').execute()
      })
    }
  })
})
