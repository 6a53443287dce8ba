// The story from DEVELOPERS.md, end to end through the API, on every database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('ticket lifecycle on %s', (kind) => {
  let t: TestServer
  let anon: Client
  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
  })
  afterAll(() => t.close())

  it('runs from portal to resolution, and the customer never sees internal notes', async () => {
    // 1. Ken opens a ticket.
    const ken = await anon.as('ken@example.com')
    const created = await ken.post('/api/v1/tickets', {
      subject: 'Email server down for the whole office',
      message: 'Nobody can send or receive mail since 9am.',
    })
    expect(created.status).toBe(201)
    const number: string = created.body.ticket.number
    expect(number).toMatch(/^\d{6,}$/)
    expect(created.body.ticket).toMatchObject({
      status: 'open',
      priority: 'normal',
      source: 'api',
      department: { name: 'Support' },
      requester: { email: 'ken@example.com' },
    })

    // 2. John's wrong password gets "access denied" and nothing else.
    const denied = await anon.post('/api/v1/auth/login', { email: 'john@example.com', password: 'wrong' })
    expect(denied.status).toBe(401)
    expect(denied.body).toEqual({
      error: { code: 'invalid_credentials', message: expect.stringMatching(/^Access denied/) },
    })
    expect(denied.headers.get('set-cookie')).toBeNull()
    const unknown = await anon.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong' })
    expect(unknown.status).toBe(401)
    expect(unknown.body).toEqual(denied.body)

    const john = await anon.as('john@example.com')
    const queue = await john.get('/api/v1/tickets?view=open')
    expect(queue.body.items.map((i: { number: string }) => i.number)).toContain(number)

    // 3. John raises the priority and hands the ticket to Jane in System Administrators, with a note.
    const departments = await john.get('/api/v1/departments')
    const sysadmins = departments.body.items.find((d: { name: string }) => d.name === 'System Administrators')
    const agents = await john.get('/api/v1/agents?q=jane')
    const jane = agents.body.items.find((a: { name: string }) => a.name === 'Jane Doe')
    const detail = await john.get(`/api/v1/tickets/${number}`)
    const handed = await john.patch(`/api/v1/tickets/${number}`, {
      version: detail.body.ticket.version,
      priority: 'emergency',
      departmentId: sysadmins.id,
      assigneeAgentId: jane.id,
      note: 'Emergency: the mail server is a sysadmin matter. Jane, please take it.',
    })
    expect(handed.status).toBe(200)
    expect(handed.body.ticket).toMatchObject({
      priority: 'emergency',
      department: { name: 'System Administrators' },
      assigneeAgent: { name: 'Jane Doe' },
      version: detail.body.ticket.version + 1,
    })
    // John keeps the ticket in sight as a follower.
    const johnView = await john.get(`/api/v1/tickets/${number}`)
    expect(johnView.status).toBe(200)
    expect(johnView.body.following).toBe(true)
    expect(johnView.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'ticket.created',
        'ticket.priority_changed',
        'ticket.transferred',
        'ticket.assigned',
        'note.added',
      ]),
    )

    // 4. Jane finds it in her queue, investigates, leaves John an update and resolves it.
    const janeClient = await anon.as('jane@example.com')
    const janeNotes = await janeClient.get('/api/v1/notifications')
    expect(janeNotes.body.items[0]).toMatchObject({ ticketNumber: number, kind: 'assigned' })
    const mine = await janeClient.get('/api/v1/tickets?view=mine')
    expect(mine.body.items.map((i: { number: string }) => i.number)).toEqual([number])
    const noteRes = await janeClient.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Found it: the disk on mx1 was full. Cleared the queue, mail flows again.',
      internal: true,
    })
    expect(noteRes.status).toBe(201)
    expect(noteRes.body.entry.kind).toBe('note')
    const current = await janeClient.get(`/api/v1/tickets/${number}`)
    const resolved = await janeClient.patch(`/api/v1/tickets/${number}`, {
      version: current.body.ticket.version,
      status: 'resolved',
    })
    expect(resolved.status).toBe(200)
    expect(resolved.body.ticket).toMatchObject({ status: 'resolved', statusName: 'Resolved' })
    expect(resolved.body.ticket.closedAt).not.toBeNull()

    // 5. John sees Jane's message and that the ticket is resolved.
    const johnNotes = await john.get('/api/v1/notifications')
    const kinds = johnNotes.body.items.filter((n: { ticketNumber: string }) => n.ticketNumber === number)
    expect(kinds.map((n: { kind: string }) => n.kind)).toEqual(['status', 'note'])
    expect(johnNotes.body.unreadCount).toBe(2)
    const johnFinal = await john.get(`/api/v1/tickets/${number}`)
    expect(johnFinal.body.ticket.status).toBe('resolved')
    expect(
      johnFinal.body.thread.map((e: { kind: string; author: { name: string } }) => [e.kind, e.author.name]),
    ).toEqual([
      ['message', 'Ken Adams'],
      ['note', 'John Doe'],
      ['note', 'Jane Doe'],
    ])
    const read = await john.post('/api/v1/notifications/read', {})
    expect(read.body).toEqual({ marked: 2, unreadCount: 0 })

    // Ken is told, and sees no internal notes anywhere.
    const kenNotes = await ken.get('/api/v1/notifications')
    expect(kenNotes.body.items).toEqual([
      expect.objectContaining({
        ticketNumber: number,
        kind: 'status',
        text: expect.stringContaining('Resolved'),
      }),
    ])
    const kenView = await ken.get(`/api/v1/tickets/${number}`)
    expect(kenView.body.ticket.status).toBe('resolved')
    expect(kenView.body.thread).toHaveLength(1)
    expect(JSON.stringify(kenView.body)).not.toMatch(/mx1|sysadmin matter/)
    const kenSearch = await ken.get(`/api/v1/tickets?q=mx1`)
    expect(kenSearch.body.items).toEqual([])
    const johnSearch = await john.get(`/api/v1/tickets?q=mx1`)
    expect(johnSearch.body.items.map((i: { number: string }) => i.number)).toEqual([number])
  })
})
