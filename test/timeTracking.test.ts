// Time tracking (issue 16) on every database: agents with ticket.edit log minutes on a ticket, change and remove
// their own entries (admins anyone's on tickets they see); customers and agents who cannot see the ticket get the
// 404 of a missing one; the totals per ticket and the report's per agent, organisation and billable are exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('time tracking on %s', (kind) => {
  let t: TestServer
  let ken: Client
  let john: Client
  let alex: Client
  let sam: Client
  let jane: Client
  let number: string
  const clock = new FixedClock(Date.parse('2026-05-11T08:00:00Z'))
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    const anon = new Client(t.url)
    const as = (n: string) => anon.as(`${n}@example.com`)
    ;[ken, john, alex, sam, jane] = await Promise.all([
      as('ken'),
      as('john'),
      as('alex'),
      as('sam'),
      as('jane'),
    ])
    for (const [n, c] of Object.entries({ john, alex, sam, jane }))
      ids[n] = (await c.get('/api/v1/auth/me')).body.user.id
    // Jane is an admin of her own department (System Administrators) who follows the ticket, so she sees it.
    await t.app.db.writer.updateTable('users').set({ is_admin: 1 }).where('id', '=', ids.jane!).execute()
    const res = await ken.post('/api/v1/tickets', {
      subject: 'Laptop setup',
      message: 'New starter on Monday.',
    })
    number = res.body.ticket.number
  })
  afterAll(() => t.close())

  const path = () => `/api/v1/tickets/${number}/time`
  const missing = async (c: Client) => (await c.get('/api/v1/tickets/999999999/time')).body

  it('logs, lists and totals time for agents, and is a missing ticket to everyone else', async () => {
    const a = await john.post(path(), { minutes: 30, billable: true, note: 'Imaging' })
    expect(a.status, JSON.stringify(a.body)).toBe(201)
    expect(a.body.entry).toMatchObject({
      minutes: 30,
      billable: true,
      note: 'Imaging',
      entryId: null,
      agent: { id: ids.john, name: 'John Doe' },
      createdAt: '2026-05-11T08:00:00.000Z',
      mine: true,
    })
    clock.advance(60_000)
    const reply = await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Your laptop is ready.' })
    const withReply = await john.post(path(), { minutes: 15, entryId: reply.body.entry.id })
    expect(withReply.status, JSON.stringify(withReply.body)).toBe(201)
    expect(withReply.body.entry).toMatchObject({ billable: false, entryId: reply.body.entry.id, note: '' })
    expect((await alex.post(path(), { minutes: 20, billable: true })).status).toBe(201)

    const list = await alex.get(path())
    expect(list.status).toBe(200)
    expect(list.body.items.map((e: { minutes: number; mine: boolean }) => [e.minutes, e.mine])).toEqual([
      [30, false],
      [15, false],
      [20, true],
    ])
    expect(list.body.totals).toEqual({ entries: 3, minutes: 65, billableMinutes: 50, nonBillableMinutes: 15 })

    // The customer (the requester, who sees the ticket) and Sam (Billing) get the missing ticket's 404.
    for (const c of [ken, sam]) {
      for (const res of [await c.get(path()), await c.post(path(), { minutes: 5 })]) {
        expect(res.status).toBe(404)
        expect(res.body).toEqual(await missing(c))
      }
      const entryId = a.body.entry.id
      const patch = await c.patch(`${path()}/${entryId}`, { minutes: 1 })
      expect([patch.status, patch.body]).toEqual([404, await missing(c)])
      expect((await c.request('DELETE', `${path()}/${entryId}`)).status).toBe(404)
    }
    // Bad input: 400 with the schema's complaint, never a crash.
    for (const body of [{ minutes: 0 }, { minutes: 1441 }, { minutes: 1.5 }, { minutes: '30' }, {}])
      expect((await john.post(path(), body)).status).toBe(400)
    const foreign = await ken.post('/api/v1/tickets', { subject: 'Other', message: 'Other ticket.' })
    const otherEntry = (await john.get(`/api/v1/tickets/${foreign.body.ticket.number}`)).body.thread[0].id
    const wrongEntry = await john.post(path(), { minutes: 5, entryId: otherEntry })
    expect([wrongEntry.status, wrongEntry.body.error.code]).toEqual([400, 'unknown_entry'])
    expect((await john.get(path())).body.totals.minutes).toBe(65)
  })

  it('lets agents change and remove only their own entries, and admins any on tickets they see', async () => {
    const [imaging, , alexs] = (await john.get(path())).body.items as { id: number }[]
    const byAlex = await alex.patch(`${path()}/${imaging!.id}`, { minutes: 1 })
    expect([byAlex.status, byAlex.body.error.code]).toEqual([403, 'forbidden'])
    expect((await alex.request('DELETE', `${path()}/${imaging!.id}`)).status).toBe(403)
    const own = await john.patch(`${path()}/${imaging!.id}`, { minutes: 45, note: 'Imaging and updates' })
    expect(own.status, JSON.stringify(own.body)).toBe(200)
    expect(own.body.entry).toMatchObject({ minutes: 45, billable: true, note: 'Imaging and updates' })
    expect((await john.patch(`${path()}/${imaging!.id}`, {})).status).toBe(400)
    expect((await john.patch(`${path()}/999999`, { minutes: 3 })).status).toBe(404)

    // An admin who cannot see the ticket gets 404; once following it, may change anyone's entry.
    expect((await jane.patch(`${path()}/${alexs!.id}`, { billable: false })).status).toBe(404)
    await t.app.db.writer
      .insertInto('ticket_followers')
      .values({
        ticket_id: (await t.app.db.read
          .selectFrom('tickets')
          .select('id')
          .where('number', '=', number)
          .executeTakeFirstOrThrow())!.id,
        agent_id: ids.jane!,
        created_at: clock.now(),
      })
      .execute()
    const byAdmin = await jane.patch(`${path()}/${alexs!.id}`, { billable: false })
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200)
    expect((await john.get(path())).body.totals).toEqual({
      entries: 3,
      minutes: 80,
      billableMinutes: 45,
      nonBillableMinutes: 35,
    })
    expect((await alex.request('DELETE', `${path()}/${alexs!.id}`)).status).toBe(204)
    expect((await john.get(path())).body.totals).toEqual({
      entries: 2,
      minutes: 60,
      billableMinutes: 45,
      nonBillableMinutes: 15,
    })
    const events = await t.app.db.read
      .selectFrom('events as e')
      .innerJoin('tickets', 'tickets.id', 'e.ticket_id')
      .select(['e.type', 'e.actor_id'])
      .where('tickets.number', '=', number)
      .where('e.type', 'like', 'time.%')
      .orderBy('e.id')
      .execute()
    expect(events.map((e) => [e.type, e.actor_id])).toEqual([
      ['time.logged', ids.john],
      ['time.logged', ids.john],
      ['time.logged', ids.alex],
      ['time.updated', ids.john],
      ['time.updated', ids.jane],
      ['time.removed', ids.alex],
    ])
  })

  it('reports minutes per agent and organisation, billable and not, within the reader’s scope', async () => {
    const db = t.app.db.writer
    const org = await db
      .insertInto('organizations')
      .values({ name: 'Initech', created_at: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('users')
      .set({ organization_id: org.id })
      .where('email', '=', 'ken@example.com')
      .execute()
    const lena = await new Client(t.url).as('lena@example.com')
    const lenas = (await lena.post('/api/v1/tickets', { subject: 'VPN', message: 'No VPN.' })).body.ticket
      .number
    expect((await alex.post(`/api/v1/tickets/${lenas}/time`, { minutes: 25, billable: true })).status).toBe(
      201,
    )
    // Logged the next day: outside a report of 2026-05-11.
    clock.set('2026-05-12T09:00:00Z')
    expect((await alex.post(`/api/v1/tickets/${lenas}/time`, { minutes: 100 })).status).toBe(201)

    const report = async (c: Client, groupBy: string, range = 'from=2026-05-11&to=2026-05-11') => {
      const res = await c.get(`/api/v1/reports/time?${range}&groupBy=${groupBy}`)
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body
    }
    const byAgent = await report(john, 'agent')
    expect(byAgent.rows).toEqual([
      {
        key: { id: ids.john, name: 'John Doe' },
        entries: 2,
        minutes: 60,
        billableMinutes: 45,
        nonBillableMinutes: 15,
      },
      {
        key: { id: ids.alex, name: 'Alex Kim' },
        entries: 1,
        minutes: 25,
        billableMinutes: 25,
        nonBillableMinutes: 0,
      },
    ])
    expect(byAgent.totals).toEqual({ entries: 3, minutes: 85, billableMinutes: 70, nonBillableMinutes: 15 })
    expect((await report(john, 'organisation')).rows).toEqual([
      {
        key: { id: org.id, name: 'Initech' },
        entries: 2,
        minutes: 60,
        billableMinutes: 45,
        nonBillableMinutes: 15,
      },
      { key: null, entries: 1, minutes: 25, billableMinutes: 25, nonBillableMinutes: 0 },
    ])
    expect((await report(john, 'team')).rows).toEqual([
      { key: null, entries: 3, minutes: 85, billableMinutes: 70, nonBillableMinutes: 15 },
    ])
    expect((await report(john, 'department', 'from=2026-05-11&to=2026-05-13')).totals.minutes).toBe(185)
    // Sam sees no Support ticket; Jane only the one she follows.
    expect((await report(sam, 'agent')).rows).toEqual([])
    expect((await report(jane, 'agent')).totals.minutes).toBe(60)
    expect((await ken.get('/api/v1/reports/time')).status).toBe(403)
  })
})
