// What the ticket view needs from the API to show the right state (issue 11): statuses in workflow order,
// the SLA outcome of a finished ticket instead of a countdown, and the history customers may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const HOUR = 3_600_000

describe.each(DATABASES)('the ticket view on %s', (kind) => {
  let t: TestServer
  let ken: Client
  let john: Client
  let admin: Client
  const clock = new FixedClock(Date.parse('2026-11-24T09:00:00Z')) // a Tuesday morning in office hours

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    const anon = new Client(t.url)
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    admin = await anon.as('admin@example.com')
  })
  afterAll(() => t.close())

  async function open(subject: string) {
    const res = await ken.post('/api/v1/tickets', { subject, message: 'Please help.' })
    expect(res.status).toBe(201)
    return res.body.ticket.number as string
  }
  async function patch(number: string, body: Record<string, unknown>, as = john) {
    const version = (await as.get(`/api/v1/tickets/${number}`)).body.ticket.version as number
    const res = await as.patch(`/api/v1/tickets/${number}`, { version, ...body })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body.ticket
  }

  it('lists statuses in workflow order: by category, then the admin’s position, then name', async () => {
    const keys = async () =>
      ((await john.get('/api/v1/statuses')).body.items as { key: string }[]).map((s) => s.key)
    expect(await keys()).toEqual(['open', 'pending', 'on_hold', 'resolved', 'closed'])
    // Alphabetically these would come first; the workflow puts them after their category's others.
    for (const s of [
      { key: 'awaiting_parts', name: 'Awaiting parts', category: 'on_hold', position: 5 },
      { key: 'answered', name: 'Answered', category: 'open', position: 2 },
      { key: 'a_triage', name: 'Triage', category: 'open', position: 1 },
    ])
      expect((await admin.post('/api/v1/admin/statuses', s)).status).toBe(201)
    expect(await keys()).toEqual([
      'open',
      'a_triage',
      'answered',
      'pending',
      'on_hold',
      'awaiting_parts',
      'resolved',
      'closed',
    ])
    const moved = await admin.request('PATCH', '/api/v1/admin/statuses/answered', { position: 0 })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ key: 'answered', position: 0 })
    // Same position as Open: the name decides ("Answered" before "Open").
    expect((await keys()).slice(0, 3)).toEqual(['answered', 'open', 'a_triage'])
    const bad = await admin.request('PATCH', '/api/v1/admin/statuses/answered', { position: -1 })
    expect(bad.status).toBe(400)
  })

  it('says whether a finished ticket met its SLA and when, with no countdown', async () => {
    clock.set('2026-11-24T09:00:00Z')
    const met = await open('Met in time')
    const running = (await john.get(`/api/v1/tickets/${met}`)).body.ticket.sla
    expect(running.finishedAt).toBeNull()
    clock.advance(HOUR)
    const resolved = await patch(met, { status: 'resolved' })
    expect(resolved.sla).toMatchObject({ state: 'ok', finishedAt: '2026-11-24T10:00:00.000Z' })

    clock.set('2026-11-24T09:00:00Z')
    const missed = await open('Missed by far')
    clock.set('2026-12-08T09:00:00Z') // two weeks later: every target of the Standard plan has passed
    const closed = await patch(missed, { status: 'closed' })
    expect(closed.sla).toMatchObject({ state: 'breached', finishedAt: '2026-12-08T09:00:00.000Z' })

    // Reopened, the clock runs again and the outcome goes.
    const reopened = await patch(met, { status: 'open' })
    expect(reopened.sla.finishedAt).toBeNull()
  })
})
