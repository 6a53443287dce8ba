// The live stream carries only what each reader may see, by the same rule as the detail view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { SseReader } from './support/sse.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('live updates on %s', (kind) => {
  let t: TestServer
  let anon: Client
  const readers: SseReader[] = []
  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
  })
  afterAll(async () => {
    for (const r of readers) r.close()
    await t.close()
  })

  async function stream(email: string) {
    const client = await anon.as(email)
    const reader = new SseReader(`${t.url}/api/v1/events`, client.token!)
    readers.push(reader)
    await reader.ready
    return { client, reader }
  }

  it('sends ticket events only to readers who can see the ticket, and no notes to customers', async () => {
    const john = await stream('john@example.com') // Support
    const sam = await stream('sam@example.com') // Billing
    const ken = await stream('ken@example.com') // the requester
    const lena = await stream('lena@example.com') // another customer

    const created = await ken.client.post('/api/v1/tickets', {
      subject: 'Printer on fire',
      message: 'Secret: the printer is in room 12.',
    })
    const number: string = created.body.ticket.number
    await john.client.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Internal: Ken breaks printers weekly.',
      internal: true,
    })
    await john.client.post(`/api/v1/tickets/${number}/messages`, { body: 'We are on our way.' })

    // Events reach every reader in the same order, so once each reader has its own later event, everything
    // before it has been decided for that reader too.
    await ken.reader.waitFor((e) => e.event === 'ticket' && e.data.type === 'response.added')
    await john.reader.waitFor((e) => e.event === 'ticket' && e.data.type === 'response.added')
    const lenaOwn = await lena.client.post('/api/v1/tickets', { subject: 'Sentinel', message: 'Mine.' })
    await lena.reader.waitFor(
      (e) => e.event === 'ticket' && e.data.ticketNumber === lenaOwn.body.ticket.number,
    )
    const billing = (await sam.client.get('/api/v1/departments')).body.items.find(
      (d: { name: string }) => d.name === 'Billing',
    )
    const samOwn = await sam.client.post('/api/v1/tickets', {
      subject: 'Billing sentinel',
      message: 'For Billing.',
      departmentId: billing.id,
      requester: { email: 'lena@example.com' },
    })
    expect(samOwn.status).toBe(201)
    await sam.reader.waitFor((e) => e.event === 'ticket' && e.data.ticketNumber === samOwn.body.ticket.number)

    expect(
      john.reader
        .ticketEvents()
        .filter((e) => e.ticketNumber === number)
        .map((e) => e.type),
    ).toEqual(['ticket.created', 'note.added', 'response.added'])
    expect(ken.reader.ticketEvents().filter((e) => e.ticketNumber === number)).toEqual([
      { type: 'ticket.created', ticketNumber: number },
      { type: 'response.added', ticketNumber: number },
    ])
    expect(JSON.stringify(ken.reader.events)).not.toMatch(/Internal|breaks printers|note/)
    expect(sam.reader.ticketEvents().filter((e) => e.ticketNumber === number)).toEqual([])
    expect(lena.reader.ticketEvents().filter((e) => e.ticketNumber === number)).toEqual([])
    expect(JSON.stringify(sam.reader.events) + JSON.stringify(lena.reader.events)).not.toContain(number)
  })

  it('refuses the stream without a session, and gives the web app its CSRF token', async () => {
    expect((await anon.get('/api/v1/events')).status).toBe(401)
    const login = await anon.post('/api/v1/auth/login', {
      email: 'john@example.com',
      password: 'demo-password',
    })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const me = await anon.request('GET', '/api/v1/auth/me', undefined, { cookie })
    expect(me.body.csrfToken).toBe(login.body.csrfToken)
    const without = await anon.request('POST', '/api/v1/notifications/read', {}, { cookie })
    expect(without.status).toBe(403)
    const withToken = await anon.request(
      'POST',
      '/api/v1/notifications/read',
      {},
      {
        cookie,
        'x-csrf-token': me.body.csrfToken,
      },
    )
    expect(withToken.status).toBe(200)
  })

  it('shares presence only with agents who can see the ticket, and counts queues in scope', async () => {
    const john = await stream('john@example.com')
    const sam = await stream('sam@example.com')
    const ken = await anon.as('ken@example.com')
    const created = await ken.post('/api/v1/tickets', { subject: 'VPN drops', message: 'Every hour.' })
    const number: string = created.body.ticket.number

    expect((await sam.client.post(`/api/v1/tickets/${number}/presence`, { state: 'viewing' })).status).toBe(
      404,
    )
    expect((await ken.post(`/api/v1/tickets/${number}/presence`, { state: 'viewing' })).status).toBe(403)
    expect((await john.client.post(`/api/v1/tickets/${number}/presence`, { state: 'bored' })).status).toBe(
      400,
    )
    const viewing = await john.client.post(`/api/v1/tickets/${number}/presence`, { state: 'typing' })
    expect(viewing.status).toBe(200)
    expect(viewing.body.viewers).toEqual([{ id: expect.any(Number), name: 'John Doe', state: 'typing' }])
    await john.reader.waitFor((e) => e.event === 'presence' && e.data.ticketNumber === number)
    const left = await john.client.post(`/api/v1/tickets/${number}/presence`, { state: 'left' })
    expect(left.body.viewers).toEqual([])

    // Sam's own presence on a Billing ticket is the sentinel: it arrives after John's events were decided.
    const billing = (await sam.client.get('/api/v1/departments')).body.items.find(
      (d: { name: string }) => d.name === 'Billing',
    )
    const samTicket = await sam.client.post('/api/v1/tickets', {
      subject: 'Invoice',
      message: 'Wrong amount.',
      departmentId: billing.id,
      requester: { email: 'ken@example.com' },
    })
    const samNumber: string = samTicket.body.ticket.number
    await sam.client.post(`/api/v1/tickets/${samNumber}/presence`, { state: 'viewing' })
    await sam.reader.waitFor((e) => e.event === 'presence' && e.data.ticketNumber === samNumber)
    expect(sam.reader.events.filter((e) => e.event === 'presence' && e.data.ticketNumber === number)).toEqual(
      [],
    )

    const johnQueues = await john.client.get('/api/v1/queues')
    expect(johnQueues.status).toBe(200)
    const keys = johnQueues.body.items.map((q: { key: string }) => q.key)
    expect(keys.slice(0, 3)).toEqual(['mine', 'open', 'unassigned'])
    const open = (items: { key: string; count: number }[]) => items.find((q) => q.key === 'open')!.count
    const johnOpen = open(johnQueues.body.items)
    const johnList = await john.client.get('/api/v1/tickets?view=open&limit=100')
    expect(johnOpen).toBe(johnList.body.items.length)
    const samQueues = await sam.client.get('/api/v1/queues')
    const samList = await sam.client.get('/api/v1/tickets?view=open&limit=100')
    expect(open(samQueues.body.items)).toBe(samList.body.items.length)
    expect(samList.body.items.map((i: { number: string }) => i.number)).not.toContain(number)
    expect(samQueues.body.items.map((q: { name: string }) => q.name)).toEqual([
      'Mine',
      'Open',
      'Unassigned',
      'Billing',
      'Following',
    ])
    expect((await ken.get('/api/v1/queues')).status).toBe(403)
  })
})
