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

  it('gives agents the whole history with names, and customers only the status changes', async () => {
    clock.set('2026-11-24T09:00:00Z')
    const number = await open('History check')
    const agents = (await admin.get('/api/v1/admin/agents')).body.items as { id: number; email: string }[]
    const alex = agents.find((a) => a.email === 'alex@example.com')!
    const billing = (
      (await john.get('/api/v1/departments')).body.items as { id: number; name: string }[]
    ).find((d) => d.name === 'Billing')!
    await patch(number, { priority: 'emergency' })
    await patch(number, { assigneeAgentId: alex.id, addTags: ['printer'] })
    expect(
      (await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Looking.', internal: true })).status,
    ).toBe(201)
    await patch(number, { status: 'resolved' })
    expect((await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Still broken.' })).status).toBe(201)
    await patch(number, { departmentId: billing.id })

    type Ev = {
      type: string
      actor: { name: string } | null
      before: object | null
      after: object | null
      display: { before: string | null; after: string | null }
    }
    // Sam works in Billing, where the ticket is now.
    const sam = await new Client(t.url).as('sam@example.com')
    const agentEvents = (await sam.get(`/api/v1/tickets/${number}`)).body.events as Ev[]
    const line = (type: string) => agentEvents.find((e) => e.type === type)
    expect(line('ticket.priority_changed')).toMatchObject({
      actor: { name: 'John Doe' },
      display: { before: 'Normal', after: 'Emergency' },
    })
    expect(line('ticket.assigned')?.display).toEqual({ before: null, after: 'Alex Kim' })
    expect(line('ticket.tagged')?.display).toEqual({ before: null, after: 'printer' })
    expect(line('ticket.status_changed')?.display).toEqual({ before: 'Open', after: 'Resolved' })
    expect(line('ticket.reopened')).toMatchObject({
      actor: { name: 'Ken Adams' },
      display: { before: 'Resolved', after: 'Open' },
    })
    expect(line('ticket.transferred')?.display).toEqual({ before: 'Support', after: 'Billing' })
    expect(agentEvents.map((e) => e.type)).toContain('note.added')

    // Ken may still see his ticket (it moved to Billing, where he is still the requester).
    const customer = await ken.get(`/api/v1/tickets/${number}`)
    expect(customer.status).toBe(200)
    const customerEvents = customer.body.events as Ev[]
    expect(customerEvents.map((e) => e.type)).toEqual(['ticket.status_changed', 'ticket.reopened'])
    for (const e of customerEvents) {
      for (const side of [e.before, e.after]) expect(Object.keys(side ?? {})).toEqual(['status'])
    }
    expect(customerEvents[0]!.display).toEqual({ before: 'Open', after: 'Resolved' })
    const text = JSON.stringify(customer.body)
    for (const secret of ['printer', 'Looking.', 'note.added']) expect(text).not.toContain(secret)
    expect(customer.body.ticket.tags).toEqual([])
    const history = JSON.stringify(customerEvents)
    for (const secret of ['Emergency', 'Alex Kim', 'Billing']) expect(history).not.toContain(secret)
  })

  it('gives agents the requester’s organisation, teams and a customer search; customers get none of it', async () => {
    const org = await admin.post('/api/v1/admin/organizations', { name: 'Adams & Co' })
    expect(org.status).toBe(201)
    const kenId = (await ken.get('/api/v1/auth/me')).body.user.id as number
    const joined = await admin.patch(`/api/v1/admin/customers/${kenId}`, {
      organizationId: org.body.organization.id,
    })
    expect(joined.status).toBe(200)
    const number = await open('Requester panel')
    const seen = (await john.get(`/api/v1/tickets/${number}`)).body
    expect(seen.requesterOrganization).toEqual({ id: org.body.organization.id, name: 'Adams & Co' })
    expect((await ken.get(`/api/v1/tickets/${number}`)).body.requesterOrganization).toBeNull()

    const found = await john.get('/api/v1/customers?q=Ken')
    expect(found.status).toBe(200)
    expect(found.body.items).toEqual([
      {
        id: kenId,
        name: 'Ken Adams',
        email: 'ken@example.com',
        organization: { id: org.body.organization.id, name: 'Adams & Co' },
      },
    ])
    // The search matches literally (a % is not a wildcard), needs two characters, and never lists agents.
    expect((await john.get('/api/v1/customers?q=%25%25')).body.items).toEqual([])
    expect((await john.get('/api/v1/customers?q=k')).status).toBe(400)
    expect((await john.get('/api/v1/customers?q=john')).body.items).toEqual([])
    expect((await ken.get('/api/v1/customers?q=Ken')).status).toBe(403)

    expect((await admin.post('/api/v1/admin/teams', { name: 'Tier 2' })).status).toBe(201)
    const teams = await john.get('/api/v1/teams')
    expect(teams.status).toBe(200)
    expect((teams.body.items as { name: string }[]).map((x) => x.name)).toContain('Tier 2')
    expect((await ken.get('/api/v1/teams')).status).toBe(403)
  })

  it('lets an agent open a ticket for a caller, existing or new, who then sees it in the portal', async () => {
    const forKen = await john.post('/api/v1/tickets', {
      subject: 'Phoned in: VPN down',
      message: 'Ken called: the VPN drops every hour.',
      requester: { email: 'ken@example.com' },
    })
    expect(forKen.status).toBe(201)
    expect(forKen.body.ticket.requester.email).toBe('ken@example.com')
    expect((await ken.get(`/api/v1/tickets/${forKen.body.ticket.number}`)).status).toBe(200)

    const forNew = await john.post('/api/v1/tickets', {
      subject: 'Phoned in: invoice copy',
      message: 'Wants a copy of the March invoice.',
      requester: { email: 'mia@example.org', name: 'Mia Chen' },
    })
    expect(forNew.status).toBe(201)
    expect(forNew.body.ticket.requester).toMatchObject({ name: 'Mia Chen', email: 'mia@example.org' })
    // Without a requester, an agent is told what is missing.
    const missing = await john.post('/api/v1/tickets', { subject: 'x', message: 'y' })
    expect(missing.status).toBe(400)
    expect(missing.body.error.code).toBe('requester_required')
  })

  it('copies the people the requester names (CC) on a new ticket: they read it, the others do not', async () => {
    const res = await ken.post('/api/v1/tickets', {
      subject: 'Projector in room 4',
      message: 'It shows nothing.',
      collaborators: ['Lena@Example.com', 'facilities@example.net', 'ken@example.com', 'lena@example.com'],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const number = res.body.ticket.number as string
    // Lower-cased and once each; the requester is not their own collaborator; a new address is a new customer.
    const listed = await john.get(`/api/v1/tickets/${number}/collaborators`)
    expect(listed.body.items.map((c: { email: string }) => c.email).sort()).toEqual([
      'facilities@example.net',
      'lena@example.com',
    ])
    const lena = await new Client(t.url).as('lena@example.com')
    expect((await lena.get(`/api/v1/tickets/${number}`)).status).toBe(200)
    // One event says who was copied, on the channel the ticket came from.
    const history = (await john.get(`/api/v1/tickets/${number}`)).body.events as { type: string }[]
    expect(history.filter((e) => e.type === 'collaborators.added')).toHaveLength(1)

    const bad = async (collaborators: unknown) =>
      (await ken.post('/api/v1/tickets', { subject: 'CC', message: 'x', collaborators })).body.error.code
    expect(await bad(['not an address'])).toBe('validation_failed')
    expect(await bad(Array.from({ length: 11 }, (_, i) => `p${i}@example.com`))).toBe('validation_failed')
    expect(await bad(['john@example.com'])).toBe('collaborator_is_agent')
    // Nothing was half made: the refused requests opened no ticket.
    const mine = (await ken.get('/api/v1/tickets?limit=100')).body.items as { subject: string }[]
    expect(mine.filter((i) => i.subject === 'CC')).toEqual([])
  })

  it('adds the agent’s and the department’s signature to public replies, never to notes', async () => {
    const number = await open('Signature check')
    expect((await john.get('/api/v1/me/signature')).body).toEqual({ signature: null, departments: [] })
    const set = await john.request('PUT', '/api/v1/me/signature', { signature: 'John Doe\nSupport desk  \n' })
    expect(set.status).toBe(200)
    expect(set.body.signature).toBe('John Doe\nSupport desk')
    const tooLong = await john.request('PUT', '/api/v1/me/signature', { signature: 'x'.repeat(2001) })
    expect(tooLong.status).toBe(400)
    expect((await ken.request('PUT', '/api/v1/me/signature', { signature: 'Ken' })).status).toBe(403)
    const support = (
      (await john.get('/api/v1/departments')).body.items as { id: number; name: string }[]
    ).find((d) => d.name === 'Support')!
    const dept = await admin.patch(`/api/v1/admin/departments/${support.id}`, {
      signature: 'Example Ltd support',
    })
    expect(dept.status).toBe(200)
    expect(dept.body.department.signature).toBe('Example Ltd support')
    expect((await john.get('/api/v1/me/signature')).body.departments).toEqual([
      { id: support.id, name: 'Support', signature: 'Example Ltd support' },
    ])

    await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Fixed it.' })
    await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Internal only.', internal: true })
    await john.post(`/api/v1/tickets/${number}/messages`, { body: 'No signature here.', signature: false })
    await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Thanks!' })
    const bodies = ((await john.get(`/api/v1/tickets/${number}`)).body.thread as { body: string }[]).map(
      (e) => e.body,
    )
    expect(bodies).toEqual([
      'Please help.',
      'Fixed it.\n\n-- \nJohn Doe\nSupport desk\n\nExample Ltd support',
      'Internal only.',
      'No signature here.',
      'Thanks!',
    ])
    // Removing it: empty text.
    expect((await john.request('PUT', '/api/v1/me/signature', { signature: '' })).body.signature).toBeNull()
    await admin.patch(`/api/v1/admin/departments/${support.id}`, { signature: null })
  })
})
