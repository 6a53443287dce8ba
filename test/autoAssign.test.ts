// Fair auto-assignment per department: round-robin, least-loaded, availability, the per-agent cap under
// concurrent arrivals, transfer and reopen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseAssignee } from '../src/domain/assignment.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe('chooseAssignee', () => {
  const c = (id: number, openTickets: number, lastAssignedAt: number | null = null) => ({
    id,
    openTickets,
    lastAssignedAt,
  })
  it('round-robin takes who waited longest, least-loaded who holds fewest, never past the cap', () => {
    expect(chooseAssignee('round_robin', [c(1, 0, 50), c(2, 9, 10)], null)).toBe(2)
    expect(chooseAssignee('round_robin', [c(1, 0, null), c(2, 0, null)], null)).toBe(1)
    expect(chooseAssignee('least_loaded', [c(1, 3, 10), c(2, 1, 50)], null)).toBe(2)
    expect(chooseAssignee('least_loaded', [c(1, 1, 10), c(2, 1, 50)], null)).toBe(1)
    expect(chooseAssignee('round_robin', [c(1, 2), c(2, 2)], 2)).toBeUndefined()
    expect(chooseAssignee('least_loaded', [c(1, 2), c(2, 1)], 2)).toBe(2)
  })
})

describe.each(DATABASES)('auto-assignment on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let admin: Client
  let ken: Client
  let john: Client
  let ids: Record<string, number>
  let departments: Record<string, number>
  const clock = new FixedClock(Date.parse('2026-11-30T09:00:00Z'))

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    const agents = (await john.get('/api/v1/agents')).body.items as { id: number; email: string }[]
    ids = Object.fromEntries(agents.map((a) => [a.email.split('@')[0], a.id]))
    const ds = (await john.get('/api/v1/departments')).body.items as { id: number; name: string }[]
    departments = Object.fromEntries(ds.map((d) => [d.name, d.id]))
  })
  afterAll(() => t.close())

  const routing = async (body: Record<string, unknown>, department = 'Support') => {
    const res = await admin.patch(`/api/v1/admin/departments/${departments[department]}`, body)
    expect(res.status).toBe(200)
    return res.body.department
  }
  const open = async (subject: string) => {
    const res = await ken.post('/api/v1/tickets', { subject, message: 'Hello' })
    expect(res.status).toBe(201)
    return res.body.ticket
  }
  /** Resolves every open ticket in Support, so each test starts with empty loads. */
  const clearSupport = async () => {
    for (;;) {
      const list = await john.get(`/api/v1/tickets?view=open&departmentId=${departments.Support}&limit=100`)
      if (list.body.items.length === 0) return
      for (const ticket of list.body.items) {
        const res = await john.patch(`/api/v1/tickets/${ticket.number}`, {
          version: ticket.version,
          status: 'resolved',
        })
        expect(res.status).toBe(200)
      }
    }
  }

  it('Alex Kim is a second Support agent in the demo data', () => {
    expect(ids.alex).toBeDefined()
  })

  it('round-robin alternates between available agents', async () => {
    await clearSupport()
    expect(await routing({ autoAssign: 'round_robin', maxOpenPerAgent: null })).toMatchObject({
      autoAssign: 'round_robin',
    })
    const owners: number[] = []
    for (let i = 0; i < 4; i++) owners.push((await open(`RR ${i}`)).assigneeAgentId)
    expect(new Set(owners)).toEqual(new Set([ids.john, ids.alex]))
    expect(owners[0]).not.toBe(owners[1])
    expect(owners[0]).toBe(owners[2])
    expect(owners[1]).toBe(owners[3])
    const detail = await john.get(`/api/v1/tickets/${(await open('RR event')).number}`)
    expect(detail.body.events).toContainEqual(
      expect.objectContaining({ type: 'ticket.assigned', after: expect.objectContaining({ auto: true }) }),
    )
  })

  it('least-loaded gives tickets to whoever holds fewest', async () => {
    await clearSupport()
    await routing({ autoAssign: 'off' })
    // John already holds two open tickets.
    for (let i = 0; i < 2; i++) {
      const ticket = await open(`preload ${i}`)
      await john.patch(`/api/v1/tickets/${ticket.number}`, {
        version: ticket.version,
        assigneeAgentId: ids.john,
      })
    }
    await routing({ autoAssign: 'least_loaded' })
    const a = await open('LL 1')
    const b = await open('LL 2')
    const c = await open('LL 3')
    expect([a.assigneeAgentId, b.assigneeAgentId]).toEqual([ids.alex, ids.alex])
    expect([ids.john, ids.alex]).toContain(c.assigneeAgentId)
  })

  it('skips agents on vacation and, when asked, agents not signed in recently', async () => {
    await clearSupport()
    await routing({ autoAssign: 'round_robin' })
    expect(
      (await admin.patch(`/api/v1/admin/agents/${ids.alex}/availability`, { onVacation: true })).status,
    ).toBe(200)
    const listed = (await admin.get('/api/v1/admin/agents')).body.items as {
      id: number
      onVacation: boolean
    }[]
    expect(listed.find((x) => x.id === ids.alex)?.onVacation).toBe(true)
    expect(listed.find((x) => x.id === ids.john)?.onVacation).toBe(false)
    const owners = [await open('V1'), await open('V2')].map((x) => x.assigneeAgentId)
    expect(owners).toEqual([ids.john, ids.john])
    await admin.patch(`/api/v1/admin/agents/${ids.alex}/availability`, { onVacation: false })

    // Alex has never signed in; John signed in at 09:00. Within 30 minutes only John counts...
    await routing({ assignSignedInWithinMinutes: 30 })
    expect((await open('S1')).assigneeAgentId).toBe(ids.john)
    // ...and an hour later nobody does, so the ticket waits unassigned.
    clock.advance(60 * 60_000)
    expect((await open('S2')).assigneeAgentId).toBeNull()
    await routing({ assignSignedInWithinMinutes: null })
  })

  it('never pushes an agent past the cap, even when tickets arrive at the same moment', async () => {
    await clearSupport()
    await routing({ autoAssign: 'least_loaded', maxOpenPerAgent: 2 })
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ken.post('/api/v1/tickets', { subject: `Burst ${i}`, message: 'x' }),
      ),
    )
    expect(created.map((r) => r.status)).toEqual(Array(10).fill(201))
    const owners = created.map((r) => r.body.ticket.assigneeAgentId as number | null)
    const count = (id: number) => owners.filter((o) => o === id).length
    expect(count(ids.john!)).toBe(2)
    expect(count(ids.alex!)).toBe(2)
    expect(owners.filter((o) => o === null)).toHaveLength(6)
  })

  it('assigns on transfer, and on reopen when the assignee is away', async () => {
    await clearSupport()
    await routing({ autoAssign: 'round_robin', maxOpenPerAgent: null })
    await routing({ autoAssign: 'off' }, 'Billing')
    const sam = await anon.as('sam@example.com')
    const res = await sam.post('/api/v1/tickets', {
      subject: 'Refund question',
      message: 'x',
      departmentId: departments.Billing,
      requester: { email: 'ken@example.com' },
    })
    expect(res.body.ticket.assigneeAgentId).toBeNull()
    const moved = await sam.patch(`/api/v1/tickets/${res.body.ticket.number}`, {
      version: res.body.ticket.version,
      departmentId: departments.Support,
    })
    expect([ids.john, ids.alex]).toContain(moved.body.ticket.assigneeAgentId)

    const ticket = await open('Reopen me')
    const first = ticket.assigneeAgentId as number
    const other = first === ids.john ? ids.alex : ids.john
    const resolved = await john.patch(`/api/v1/tickets/${ticket.number}`, {
      version: ticket.version,
      status: 'resolved',
    })
    expect(resolved.status).toBe(200)
    await admin.patch(`/api/v1/admin/agents/${first}/availability`, { onVacation: true })
    const reopened = await ken.post(`/api/v1/tickets/${ticket.number}/messages`, { body: 'It broke again' })
    expect(reopened.body.ticket).toMatchObject({ status: 'open', assigneeAgentId: other })
    await admin.patch(`/api/v1/admin/agents/${first}/availability`, { onVacation: false })
  })

  it('refuses bad settings with 400', async () => {
    const bad = await admin.patch(`/api/v1/admin/departments/${departments.Support}`, {
      autoAssign: 'random',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('validation_failed')
    const missing = await admin.patch('/api/v1/admin/departments/999999', { autoAssign: 'off' })
    expect(missing.status).toBe(404)
  })
})
