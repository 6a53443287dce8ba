// The ticket API's rules beyond the lifecycle story: access, validation, conflicts, idempotency, reopening.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, type Response } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('ticket API on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let ken: Client
  let lena: Client
  let john: Client
  let jane: Client
  let sam: Client
  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    const signIn = (name: string) => anon.as(`${name}@example.com`)
    ;[ken, lena, john, jane, sam] = await Promise.all([
      signIn('ken'),
      signIn('lena'),
      signIn('john'),
      signIn('jane'),
      signIn('sam'),
    ])
  })
  afterAll(() => t.close())

  const open = async (subject = 'Cannot print', message = 'The printer says PC LOAD LETTER.') => {
    const res = await ken.post('/api/v1/tickets', { subject, message })
    expect(res.status).toBe(201)
    return res.body.ticket as { number: string; version: number }
  }

  it('hides a ticket from those outside its scope with the same 404 as a missing one', async () => {
    const { number } = await open()
    const missing = await sam.get('/api/v1/tickets/999999999')
    expect(missing.status).toBe(404)
    for (const outsider of [sam, lena]) {
      const res = await outsider.get(`/api/v1/tickets/${number}`)
      expect(res.status).toBe(404)
      expect(res.body).toEqual(missing.body)
      expect(
        (await outsider.patch(`/api/v1/tickets/${number}`, { version: 1, priority: 'high' })).body,
      ).toEqual(missing.body)
      expect((await outsider.post(`/api/v1/tickets/${number}/messages`, { body: 'hi' })).body).toEqual(
        missing.body,
      )
      const list = await outsider.get('/api/v1/tickets?view=all')
      expect(list.body.items.map((i: { number: string }) => i.number)).not.toContain(number)
      const search = await outsider.get('/api/v1/tickets?q=PC%20LOAD')
      expect(search.body.items.map((i: { number: string }) => i.number)).not.toContain(number)
    }
    expect((await john.get(`/api/v1/tickets/${number}`)).status).toBe(200)
  })

  it('answers 401 without credentials and 400 for malformed input, never 500', async () => {
    expect((await anon.get('/api/v1/tickets')).status).toBe(401)
    expect((await anon.post('/api/v1/tickets', { subject: 'x', message: 'y' })).body.error.code).toBe(
      'unauthenticated',
    )
    expect((await new Client(t.url, 'not-a-token').get('/api/v1/tickets')).status).toBe(401)

    const cases: [unknown, string][] = [
      ['{"subject": "x", "message":', 'invalid_json'],
      [{ message: 'no subject' }, 'validation_failed'],
      [{ subject: 42, message: 'y' }, 'validation_failed'],
      [{ subject: 'x'.repeat(256), message: 'y' }, 'validation_failed'],
      [{ subject: '   ', message: 'y' }, 'validation_failed'],
      [{ subject: 'a\u0000b', message: 'y' }, 'validation_failed'],
      [{ subject: 'x', message: 'y', priority: 'urgent' }, 'validation_failed'],
      [[1, 2, 3], 'validation_failed'],
      ['null', 'validation_failed'],
    ]
    for (const [body, code] of cases) {
      const res = await ken.post('/api/v1/tickets', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code, JSON.stringify(body)).toBe(code)
      expect(typeof res.body.error.message).toBe('string')
    }
    const huge = await ken.post('/api/v1/tickets', { subject: 'x', message: 'y'.repeat(2 * 1024 * 1024) })
    expect(huge.status).toBe(413)
    expect(huge.body.error.code).toBe('payload_too_large')
    const long = await ken.post('/api/v1/tickets', { subject: 'x', message: 'y'.repeat(200_001) })
    expect(long.status).toBe(400)
    expect((await john.get('/api/v1/tickets?view=everything')).status).toBe(400)
    expect((await john.get('/api/v1/tickets?cursor=bogus')).body.error.code).toBe('invalid_cursor')
    expect((await john.patch('/api/v1/tickets/100001', { priority: 'high' })).status).toBe(400)
  })

  it('keeps agent-only fields from customers', async () => {
    const asRequester = await ken.post('/api/v1/tickets', {
      subject: 'x',
      message: 'y',
      requester: { email: 'someone@example.com' },
    })
    expect(asRequester.status).toBe(400)
    expect(asRequester.body.error.code).toBe('field_not_allowed')
    const { number } = await open()
    const note = await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'sneaky', internal: true })
    expect(note.status).toBe(400)
    expect(note.body.error.code).toBe('internal_not_allowed')
    const patch = await ken.patch(`/api/v1/tickets/${number}`, { version: 1, status: 'closed' })
    expect(patch.status).toBe(403)
  })

  it('lets an agent open a ticket for a customer, creating the customer', async () => {
    const res = await john.post('/api/v1/tickets', {
      subject: 'Phoned in: VPN drops',
      message: 'Caller says the VPN drops every hour.',
      priority: 'high',
      requester: { email: 'New.Caller@Example.com', name: 'New Caller' },
    })
    expect(res.status).toBe(201)
    expect(res.body.ticket).toMatchObject({
      source: 'agent',
      priority: 'high',
      requester: { name: 'New Caller', email: 'new.caller@example.com' },
    })
    const noRequester = await john.post('/api/v1/tickets', { subject: 'x', message: 'y' })
    expect(noRequester.body.error.code).toBe('requester_required')
    const elsewhere = await john.post('/api/v1/tickets', {
      subject: 'x',
      message: 'y',
      departmentId: 3,
      requester: { email: 'ken@example.com' },
    })
    expect(elsewhere.status).toBe(403)
  })

  it('returns the same ticket for a repeated Idempotency-Key, even concurrently', async () => {
    const body = { subject: 'Double click', message: 'I pressed submit twice.' }
    const key = { 'idempotency-key': `key-${kind}-1` }
    const results = await Promise.all([1, 2, 3, 4].map(() => ken.post('/api/v1/tickets', body, key)))
    const numbers = new Set(results.map((r) => r.body.ticket.number))
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201])
    expect(numbers.size).toBe(1)
    const other = await lena.post('/api/v1/tickets', body, key)
    expect(numbers.has(other.body.ticket.number)).toBe(false)
  })

  it('refuses an Idempotency-Key reused with a different body (issue 9, finding 8)', async () => {
    const key = { 'idempotency-key': `key-${kind}-bound` }
    const first = await john.post(
      '/api/v1/tickets',
      { subject: 'Refund order 1001', message: 'Please refund.', requester: { email: 'ken@example.com' } },
      key,
    )
    expect(first.status).toBe(201)
    // The attack as reported: the same key, another ticket's body. It used to replay the first ticket silently.
    const reused = await john.post(
      '/api/v1/tickets',
      { subject: 'Refund order 2002', message: 'Please refund.', requester: { email: 'ken@example.com' } },
      key,
    )
    expect([reused.status, reused.body.error?.code]).toEqual([422, 'idempotency_key_reused'])
    const otherRequester = await john.post(
      '/api/v1/tickets',
      { subject: 'Refund order 1001', message: 'Please refund.', requester: { email: 'lena@example.com' } },
      key,
    )
    expect(otherRequester.status).toBe(422)
    // The same request again — keys in another order, a key the schema drops — replays the first ticket.
    const again = await john.post(
      '/api/v1/tickets',
      {
        requester: { email: 'ken@example.com' },
        message: 'Please refund.',
        subject: 'Refund order 1001',
        ignored: true,
      },
      key,
    )
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body.ticket.number).toBe(first.body.ticket.number)
    // Nothing was created by the refused requests.
    const made = await t.app.db.read
      .selectFrom('tickets')
      .select('subject')
      .where('subject', '=', 'Refund order 2002')
      .execute()
    expect(made).toEqual([])
    // Racing creates with one key and two bodies: one ticket, the other body refused.
    const raceKey = { 'idempotency-key': `key-${kind}-race` }
    const raced = await Promise.all(
      ['A', 'B', 'A', 'B'].map((s) =>
        ken.post('/api/v1/tickets', { subject: `Race ${s}`, message: 'm' }, raceKey),
      ),
    )
    const created = raced.filter((r) => r.status === 201)
    expect(new Set(created.map((r) => r.body.ticket.number)).size).toBe(1)
    expect(raced.filter((r) => r.status === 422).length).toBe(2)
  })

  it('refuses a stale version with 409 and the current ticket', async () => {
    const { number, version } = await open()
    const first = await john.patch(`/api/v1/tickets/${number}`, { version, priority: 'high' })
    expect(first.status).toBe(200)
    const stale = await john.patch(`/api/v1/tickets/${number}`, { version, priority: 'low' })
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('version_conflict')
    expect(stale.body.ticket).toMatchObject({ number, priority: 'high', version: version + 1 })
    const concurrent = await Promise.all(
      ['low', 'normal', 'emergency', 'low', 'normal'].map((priority) =>
        john.patch(`/api/v1/tickets/${number}`, { version: version + 1, priority }),
      ),
    )
    expect(concurrent.filter((r) => r.status === 200)).toHaveLength(1)
    expect(concurrent.filter((r) => r.status === 409)).toHaveLength(4)
  })

  it('checks the role: view-only permissions and assignees outside the department', async () => {
    const { number, version } = await open()
    const sysadmins = (await john.get('/api/v1/departments')).body.items.find(
      (d: { name: string }) => d.name === 'System Administrators',
    )
    const samId = (await john.get('/api/v1/agents?q=sam')).body.items[0].id
    const wrongAssignee = await john.patch(`/api/v1/tickets/${number}`, { version, assigneeAgentId: samId })
    expect(wrongAssignee.status).toBe(400)
    expect(wrongAssignee.body.error.code).toBe('assignee_not_in_department')
    const unknownStatus = await john.patch(`/api/v1/tickets/${number}`, { version, status: 'done' })
    expect(unknownStatus.body.error.code).toBe('unknown_status')
    const moved = await john.patch(`/api/v1/tickets/${number}`, { version, departmentId: sysadmins.id })
    expect(moved.status).toBe(200)
    // John now only follows it: he may read and add notes, not change it or reply.
    expect((await john.get(`/api/v1/tickets/${number}`)).body.abilities).toMatchObject({
      note: true,
      reply: false,
    })
    expect(
      (await john.patch(`/api/v1/tickets/${number}`, { version: version + 1, priority: 'low' })).status,
    ).toBe(403)
    expect((await john.post(`/api/v1/tickets/${number}/messages`, { body: 'reply' })).status).toBe(403)
    expect(
      (await john.post(`/api/v1/tickets/${number}/messages`, { body: 'note', internal: true })).status,
    ).toBe(201)
    // Jane's department was told, since nobody holds it.
    const janeNotes = await jane.get('/api/v1/notifications')
    expect(janeNotes.body.items[0]).toMatchObject({ ticketNumber: number, kind: 'transferred' })
    // Unfollowing takes it out of John's sight.
    const unfollow = await john.request('DELETE', `/api/v1/tickets/${number}/follow`)
    expect(unfollow.status).toBe(204)
    expect((await john.get(`/api/v1/tickets/${number}`)).status).toBe(404)
  })

  it('reopens a resolved ticket on a customer message, and opens a linked follow-up for a closed one', async () => {
    const { number, version } = await open('Reset my password', 'Locked out.')
    const resolved = await john.patch(`/api/v1/tickets/${number}`, { version, status: 'resolved' })
    expect(resolved.body.ticket.status).toBe('resolved')
    const reply = await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Still locked out.' })
    expect(reply.status).toBe(201)
    expect(reply.body.ticket).toMatchObject({ number, status: 'open', closedAt: null })

    const closed = await john.patch(`/api/v1/tickets/${number}`, { version: version + 2, status: 'closed' })
    expect(closed.status).toBe(200)
    const followUp = await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'It happened again.' })
    expect(followUp.status).toBe(201)
    expect(followUp.body.followUpOf).toBe(number)
    expect(followUp.body.ticket.number).not.toBe(number)
    expect(followUp.body.ticket).toMatchObject({
      status: 'open',
      followUpOf: number,
      subject: 'Reset my password',
    })
    expect((await ken.get(`/api/v1/tickets/${number}`)).body.ticket.status).toBe('closed')
  })

  it('pages through the queue newest activity first with a cursor', async () => {
    const numbers: string[] = []
    for (let i = 0; i < 5; i++) numbers.push((await open(`Paging ${i}`, `paging body ${i}`)).number)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res: Response = await lena.get('/api/v1/tickets?limit=2' + (cursor ? `&cursor=${cursor}` : ''))
      expect(res.body.items.length).toBeLessThanOrEqual(2)
      seen.push(...res.body.items.map((i: { number: string }) => i.number))
      cursor = res.body.nextCursor
    } while (cursor)
    const kenSeen: string[] = []
    cursor = null
    do {
      const res: Response = await ken.get('/api/v1/tickets?limit=3' + (cursor ? `&cursor=${cursor}` : ''))
      kenSeen.push(...res.body.items.map((i: { number: string }) => i.number))
      cursor = res.body.nextCursor
    } while (cursor)
    expect(kenSeen.slice(0, 5)).toEqual([...numbers].reverse())
    expect(new Set(kenSeen).size).toBe(kenSeen.length)
    expect(seen.filter((n) => numbers.includes(n))).toEqual([])
    // The last word matches as a prefix from four characters on (dialect.ts MIN_PREFIX).
    const found = await john.get('/api/v1/tickets?q=body%20pagi')
    expect(found.body.items.map((i: { number: string }) => i.number).sort()).toEqual([...numbers].sort())
    const unassigned = await john.get('/api/v1/tickets?view=unassigned&status=open&limit=100')
    expect(unassigned.body.items.every((i: { assigneeAgentId: null }) => i.assigneeAgentId === null)).toBe(
      true,
    )
  })

  it('throttles repeated failed sign-ins with 429 and Retry-After', async () => {
    const email = 'sam@example.com'
    for (let i = 0; i < 5; i++) {
      expect((await anon.post('/api/v1/auth/login', { email, password: `wrong-${i}` })).status).toBe(401)
    }
    const blocked = await anon.post('/api/v1/auth/login', { email, password: 'demo-password' })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(blocked.body.error.code).toBe('too_many_attempts')
  })

  it('ends the token on sign-out', async () => {
    const me = await anon.as('lena@example.com')
    expect((await me.get('/api/v1/auth/me')).status).toBe(200)
    expect((await me.post('/api/v1/auth/logout')).status).toBe(204)
    expect((await me.get('/api/v1/auth/me')).status).toBe(401)
  })

  it('requires the CSRF token for changes made with the session cookie', async () => {
    const login = await anon.post('/api/v1/auth/login', {
      email: 'ken@example.com',
      password: 'demo-password',
    })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const withCookie = (headers: Record<string, string>) =>
      anon.request(
        'POST',
        '/api/v1/tickets',
        { subject: 'From the browser', message: 'hello' },
        { cookie, ...headers },
      )
    const refused = await withCookie({})
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('csrf_failed')
    expect((await withCookie({ 'x-csrf-token': login.body.csrfToken })).status).toBe(201)
    expect((await anon.request('GET', '/api/v1/tickets', undefined, { cookie })).status).toBe(200)
  })
})
