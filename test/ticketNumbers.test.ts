// Ticket numbers come from their own counter (migration 0017), not from the row id: a number already taken
// (an imported ticket keeps the number its customers quote) is skipped, and the counter can be moved on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { advanceTicketNumbers } from '../src/db/dialect.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('ticket numbers on %s', (kind) => {
  let t: TestServer
  let ken: Client
  beforeAll(async () => {
    t = await startServer(kind)
    ken = await new Client(t.url).as('ken@example.com')
  })
  afterAll(() => t.close())

  const open = async () => {
    const res = await ken.post('/api/v1/tickets', { subject: 'Numbers', message: 'Which number?' })
    expect(res.status).toBe(201)
    return res.body.ticket as { number: string }
  }

  /** A ticket written with a number of its own, as the importer does. */
  const takeNumber = async (number: string) => {
    const w = t.app.db.writer
    const requester = await w
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'ken@example.com')
      .executeTakeFirstOrThrow()
    const dept = await w.selectFrom('departments').select('id').orderBy('id').executeTakeFirstOrThrow()
    const at = Date.now()
    await w
      .insertInto('tickets')
      .values({
        number,
        subject: 'Imported',
        department_id: dept.id,
        requester_id: requester.id,
        priority: 'normal',
        status: 'open',
        source: 'email',
        created_at: at,
        updated_at: at,
        last_activity_at: at,
      })
      .execute()
  }

  it('skips numbers that are taken and is not tied to the row id', async () => {
    const first = Number((await open()).number)
    // Tickets written with numbers of their own: one far off, one the counter would give next.
    await takeNumber('555555')
    await takeNumber(String(first + 1))
    const next = await open()
    expect(Number(next.number)).toBe(first + 2)
    const row = await t.app.db.read
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', next.number)
      .executeTakeFirstOrThrow()
    expect(Number(next.number)).not.toBe(100_000 + row.id)
    expect((await ken.get(`/api/v1/tickets/${next.number}`)).status).toBe(200)
  })

  it('goes on after the counter is moved past imported numbers', async () => {
    await advanceTicketNumbers(t.app.db.dialect, t.app.db.writer, 987_654)
    expect((await open()).number).toBe('987655')
    // Moving it back does nothing.
    await advanceTicketNumbers(t.app.db.dialect, t.app.db.writer, 500_000)
    expect((await open()).number).toBe('987656')
  })
})
