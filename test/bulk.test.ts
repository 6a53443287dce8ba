// Bulk changes and tags on every database: each ticket in its own transaction through the update command, a
// mix of allowed, stale, forbidden, hidden and missing tickets, and nothing revealed about the hidden ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { SseReader } from './support/sse.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const uniq = () => Math.random().toString(36).slice(2, 8)

describe.each(DATABASES)('bulk changes and tags on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let admin: Client
  let ken: Client
  let jane: Client
  let john: Client
  let sam: Client
  /** Expanded Access in Support, View Only in System Administrators. */
  let mixed: Client
  let mixedId: number
  let dept: Record<string, number>

  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    ;[admin, ken, jane, john, sam] = await Promise.all([
      anon.as('admin@example.com'),
      anon.as('ken@example.com'),
      anon.as('jane@example.com'),
      anon.as('john@example.com'),
      anon.as('sam@example.com'),
    ])
    const departments = await admin.get('/api/v1/admin/departments')
    dept = Object.fromEntries(departments.body.items.map((d: { id: number; name: string }) => [d.name, d.id]))
    const email = `mixed-${uniq()}@example.com`
    const created = await admin.post('/api/v1/admin/agents', {
      name: 'Mix Ed',
      email,
      password: 'agent-password',
      primaryDepartmentId: dept.Support,
      memberships: [
        { departmentId: dept.Support, role: 'expanded_access' },
        { departmentId: dept['System Administrators'], role: 'view_only' },
      ],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    mixedId = created.body.agent.id
    mixed = await anon.as(email, 'agent-password')
  })
  afterAll(() => t?.close())

  /** A ticket of Ken's in Support, or one opened by an agent in their own department. */
  const open = async (who: Client = ken, departmentId?: number) => {
    const res = await who.post('/api/v1/tickets', {
      subject: `Bulk ${uniq()}`,
      message: 'Please help.',
      ...(departmentId ? { departmentId, requester: { email: 'lena@example.com' } } : {}),
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.ticket as { number: string; version: number; subject: string }
  }
  const ticketRow = (number: string) =>
    t.app.db.read.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
  const eventsOf = async (number: string) => {
    const row = await ticketRow(number)
    return t.app.db.read
      .selectFrom('events')
      .selectAll()
      .where('ticket_id', '=', row.id)
      .orderBy('id')
      .execute()
  }

  it('changes the allowed tickets and reports stale, forbidden, hidden and missing ones, each on its own', async () => {
    const allowed = await open()
    const stale = await open()
    const forbidden = await open(jane, dept['System Administrators'])
    const hidden = await open(sam, dept.Billing)
    const missing = '999999999'
    // Someone changes `stale` after our agent loaded it at version 1.
    expect(
      (await john.patch(`/api/v1/tickets/${stale.number}`, { version: 1, priority: 'low' })).status,
    ).toBe(200)

    const res = await mixed.post('/api/v1/tickets/bulk', {
      numbers: [allowed.number, stale.number, forbidden.number, hidden.number, missing, allowed.number],
      changes: { priority: 'high', addTags: ['  Needs Review '] },
      versions: { [stale.number]: 1, [allowed.number]: 1 },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const results = res.body.results as {
      number: string
      outcome: string
      ticket?: { number: string; priority: string; version: number }
      error?: { code: string; message: string }
    }[]
    // Repeated numbers are done once, in the order given.
    expect(results.map((r) => [r.number, r.outcome])).toEqual([
      [allowed.number, 'updated'],
      [stale.number, 'conflict'],
      [forbidden.number, 'forbidden'],
      [hidden.number, 'not_found'],
      [missing, 'not_found'],
    ])
    const [ok, conflict, refused, hiddenResult, missingResult] = results
    expect(ok!.ticket).toMatchObject({ number: allowed.number, priority: 'high', version: 2 })
    expect(conflict!.ticket).toMatchObject({ number: stale.number, priority: 'low', version: 2 })
    expect(conflict!.error!.code).toBe('version_conflict')
    expect(refused!.error!.code).toBe('forbidden')
    expect(refused!.ticket).toBeUndefined()
    // A ticket of another department answers exactly as a missing one: same shape, no ticket data.
    const { number: _h, ...hiddenRest } = hiddenResult!
    const { number: _m, ...missingRest } = missingResult!
    expect(hiddenRest).toEqual(missingRest)
    expect(hiddenRest).toEqual({
      outcome: 'not_found',
      error: { code: 'not_found', message: 'No such ticket.' },
    })
    expect(JSON.stringify(res.body)).not.toContain(hidden.subject)

    // The refusals changed nothing, and did not undo the allowed change.
    expect((await ticketRow(stale.number)).priority).toBe('low')
    expect((await ticketRow(forbidden.number)).priority).toBe('normal')
    expect((await ticketRow(hidden.number)).priority).toBe('normal')
    const detail = await mixed.get(`/api/v1/tickets/${allowed.number}`)
    expect(detail.body.ticket.priority).toBe('high')
    expect(detail.body.tags).toEqual(['needs-review'])
    // The same events as a single PATCH, with the channel.
    const events = await eventsOf(allowed.number)
    const changed = events.filter((e) => e.type === 'ticket.priority_changed' || e.type === 'ticket.tagged')
    expect(changed.map((e) => [e.type, e.channel, e.actor_id])).toEqual([
      ['ticket.priority_changed', 'api', mixedId],
      ['ticket.tagged', 'api', mixedId],
    ])
    expect(JSON.parse(changed[1]!.after!)).toEqual({ tag: 'needs-review' })
    expect(await eventsOf(hidden.number)).not.toContainEqual(expect.objectContaining({ actor_id: mixedId }))

    // Asked again, nothing is left to do.
    const again = await mixed.post('/api/v1/tickets/bulk', {
      numbers: [allowed.number],
      changes: { priority: 'high', addTags: ['needs-review'] },
    })
    expect(again.body.results).toEqual([
      expect.objectContaining({ number: allowed.number, outcome: 'unchanged' }),
    ])
    expect(again.body.results[0].ticket.version).toBe(2)
  })

  it('resolves tickets with a note through the same rules: permissions, notifications, closed time', async () => {
    const a = await open()
    const b = await open()
    const res = await mixed.post('/api/v1/tickets/bulk', {
      numbers: [a.number, b.number],
      changes: { status: 'resolved' },
      note: 'Fixed by the deploy of 14:00.',
    })
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['updated', 'updated'])
    for (const ticket of [a, b]) {
      const row = await ticketRow(ticket.number)
      expect(row.status).toBe('resolved')
      expect(row.closed_at).not.toBeNull()
      const detail = await mixed.get(`/api/v1/tickets/${ticket.number}`)
      expect(detail.body.thread.at(-1)).toMatchObject({ kind: 'note', body: 'Fixed by the deploy of 14:00.' })
    }
    // Ken, the requester, is told as with a single change (the notification comes from the same command).
    const kenNotes = await ken.get('/api/v1/notifications')
    const numbers = kenNotes.body.items.map((n: { ticketNumber: string }) => n.ticketNumber)
    expect(numbers).toEqual(expect.arrayContaining([a.number, b.number]))

    // An assignee from another department is refused per ticket, as by PATCH.
    const c = await open()
    const samUser = (await admin.get('/api/v1/admin/agents')).body.items.find(
      (x: { email: string }) => x.email === 'sam@example.com',
    )
    const invalid = await mixed.post('/api/v1/tickets/bulk', {
      numbers: [c.number],
      changes: { assigneeAgentId: samUser.id },
    })
    expect(invalid.body.results).toEqual([
      {
        number: c.number,
        outcome: 'invalid',
        error: { code: 'assignee_not_in_department', message: expect.any(String) },
      },
    ])
  })

  it('refuses a malformed or empty request as a whole, with a stable code', async () => {
    const { number } = await open()
    const cases: [unknown, number, string][] = [
      [{ numbers: [], changes: { priority: 'high' } }, 400, 'validation_failed'],
      [
        { numbers: Array.from({ length: 501 }, (_, i) => String(i)), changes: { priority: 'high' } },
        400,
        'validation_failed',
      ],
      [{ numbers: [number] }, 400, 'nothing_to_change'],
      [{ numbers: [number], changes: {} }, 400, 'nothing_to_change'],
      [{ numbers: [number], changes: { subject: 'x' } }, 400, 'validation_failed'],
      [{ numbers: [number], changes: { priority: 'urgent' } }, 400, 'validation_failed'],
      [{ numbers: [number], changes: { status: 'nope' } }, 400, 'unknown_status'],
      [{ numbers: [number], changes: { departmentId: 999999 } }, 400, 'unknown_department'],
      [{ numbers: [number], changes: { assigneeAgentId: 999999 } }, 400, 'unknown_agent'],
      [{ numbers: [number], changes: { assigneeTeamId: 999999 } }, 400, 'unknown_team'],
      [{ numbers: [number], changes: { addTags: ['a'], removeTags: ['A'] } }, 400, 'tags_added_and_removed'],
      [{ numbers: [number], changes: { addTags: ['a,b'] } }, 400, 'validation_failed'],
      [{ numbers: [number], macroId: 999999 }, 404, 'not_found'],
    ]
    for (const [body, status, code] of cases) {
      const res = await mixed.post('/api/v1/tickets/bulk', body)
      expect([res.status, res.body.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code])
    }
    expect((await ticketRow(number)).version).toBe(1)
    expect(
      (await ken.post('/api/v1/tickets/bulk', { numbers: [number], changes: { priority: 'high' } })).body
        .error.code,
    ).toBe('agents_only')
    expect((await anon.post('/api/v1/tickets/bulk', { numbers: [number] })).status).toBe(401)
  })

  it('changes 500 tickets in one call, each in its own transaction', async () => {
    const numbers: string[] = []
    for (let i = 0; i < 50; i++) numbers.push((await open()).number)
    const res = await mixed.post('/api/v1/tickets/bulk', {
      numbers: [...numbers, ...Array.from({ length: 450 }, (_, i) => String(900_000_000 + i))],
      changes: { addTags: ['batch'] },
    })
    expect(res.status).toBe(200)
    const outcomes = res.body.results.map((r: { outcome: string }) => r.outcome)
    expect(outcomes.filter((o: string) => o === 'updated')).toHaveLength(50)
    expect(outcomes.filter((o: string) => o === 'not_found')).toHaveLength(450)
    const tagged = await t.app.db.read
      .selectFrom('ticket_tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tag', '=', 'batch')
      .executeTakeFirstOrThrow()
    expect(Number(tagged.n)).toBe(50)
  })

  describe('PUT /tickets/:number/tags', () => {
    it('replaces the set, normalised, with an event per tag added or removed and a new version', async () => {
      const { number } = await open()
      const put = (body: unknown, who = mixed) => who.request('PUT', `/api/v1/tickets/${number}/tags`, body)
      const first = await put({ tags: [' VIP ', 'vip', 'Billing  Issue', 'printer'] })
      expect(first.status, JSON.stringify(first.body)).toBe(200)
      expect(first.body.tags).toEqual(['billing-issue', 'printer', 'vip'])
      expect(first.body.ticket.version).toBe(2)
      const second = await put({ tags: ['vip', 'escalated'], version: 2 })
      expect(second.body.tags).toEqual(['escalated', 'vip'])
      const tagEvents = (await eventsOf(number))
        .filter((e) => e.type === 'ticket.tagged' || e.type === 'ticket.untagged')
        .map((e) => [e.type, JSON.parse((e.after ?? e.before)!).tag])
      expect(tagEvents).toEqual([
        ['ticket.tagged', 'vip'],
        ['ticket.tagged', 'billing-issue'],
        ['ticket.tagged', 'printer'],
        ['ticket.untagged', 'billing-issue'],
        ['ticket.untagged', 'printer'],
        ['ticket.tagged', 'escalated'],
      ])
      // The same set again changes nothing; a stale version is refused with the current ticket.
      expect((await put({ tags: ['VIP', 'escalated'] })).body.ticket.version).toBe(3)
      const stale = await put({ tags: [], version: 1 })
      expect(stale.status).toBe(409)
      expect(stale.body.ticket.version).toBe(3)
      // Customers are not shown tags.
      expect((await ken.get(`/api/v1/tickets/${number}`)).body.tags).toEqual([])

      for (const [body, code] of [
        [{ tags: ['x'.repeat(51)] }, 'validation_failed'],
        [{ tags: ['a,b'] }, 'validation_failed'],
        [{ tags: ['  '] }, 'validation_failed'],
        [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'validation_failed'],
        [{ tags: 'vip' }, 'validation_failed'],
      ] as const) {
        const res = await put(body)
        expect([res.status, res.body.error.code], JSON.stringify(body).slice(0, 60)).toEqual([400, code])
      }
    })

    it('needs ticket.edit, and hides tickets the agent may not see exactly like missing ones', async () => {
      const viewOnly = await open(jane, dept['System Administrators'])
      const hidden = await open(sam, dept.Billing)
      const put = (number: string) => mixed.request('PUT', `/api/v1/tickets/${number}/tags`, { tags: [] })
      const refused = await put(viewOnly.number)
      expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden'])
      const missing = await put('999999999')
      expect(missing.status).toBe(404)
      expect(await put(hidden.number)).toMatchObject({ status: 404, body: missing.body })
      expect((await ken.request('PUT', `/api/v1/tickets/${hidden.number}/tags`, { tags: [] })).status).toBe(
        403,
      )
    })

    it('tells agents on the live stream that tags changed, and never the customer', async () => {
      const { number } = await open()
      const reader = (token: string) => new SseReader(`${t.url}/api/v1/events`, token)
      const kenStream = reader(ken.token!)
      const agentStream = reader(mixed.token!)
      try {
        await Promise.all([kenStream.ready, agentStream.ready])
        expect((await mixed.request('PUT', `/api/v1/tickets/${number}/tags`, { tags: ['vip'] })).status).toBe(
          200,
        )
        // A later event Ken does get: everything before it has been decided for him too.
        await mixed.post(`/api/v1/tickets/${number}/messages`, { body: 'On it.' })
        await kenStream.waitFor((e) => e.event === 'ticket' && e.data.type === 'response.added')
        await agentStream.waitFor((e) => e.event === 'ticket' && e.data.type === 'response.added')
        const types = (r: SseReader) =>
          r
            .ticketEvents()
            .filter((e) => e.ticketNumber === number && e.type !== 'ticket.created')
            .map((e) => e.type)
        expect(types(agentStream)).toEqual(['ticket.tagged', 'response.added'])
        expect(types(kenStream)).toEqual(['response.added'])
      } finally {
        kenStream.close()
        agentStream.close()
      }
    })

    it('caps a ticket at 50 tags, whichever way they are added', async () => {
      const { number } = await open()
      const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`)
      expect((await mixed.request('PUT', `/api/v1/tickets/${number}/tags`, { tags: fifty })).status).toBe(200)
      const more = await mixed.patch(`/api/v1/tickets/${number}`, { version: 2, addTags: ['one-more'] })
      expect([more.status, more.body.error.code]).toEqual([400, 'too_many_tags'])
      const bulk = await mixed.post('/api/v1/tickets/bulk', {
        numbers: [number],
        changes: { addTags: ['one-more'] },
      })
      expect(bulk.body.results[0]).toMatchObject({ outcome: 'invalid', error: { code: 'too_many_tags' } })
    })
  })
})
