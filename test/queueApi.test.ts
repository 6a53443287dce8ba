// The queue API (issue 10): every filter, every sort paged past the first page while tickets change, search
// by number, requester, tag and custom field value, saved views with their permissions, and the counts of
// GET /api/v1/queues (from the kept counters) right after transfers, assignments and status changes.
// Expected answers come from an oracle written here in plain JavaScript over the rows in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../src/commands/auth.ts'
import { Client } from './support/client.ts'
import { SseReader } from './support/sse.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const N = 60
const PRIORITIES = ['low', 'normal', 'high', 'emergency']
const RANK: Record<string, number> = { low: 1, normal: 2, high: 3, emergency: 4 }
const STATUSES = ['open', 'pending', 'on_hold', 'resolved', 'closed']
const ACTIVE = ['open', 'pending', 'on_hold']
const SLA = [null, 'ok', 'at_risk', 'breached', 'paused']
const NO_DUE = 9_007_199_254_740_991

interface Row {
  id: number
  number: string
  department_id: number
  assignee_agent_id: number | null
  assignee_team_id: number | null
  requester_id: number
  priority: string
  status: string
  sla_state: string | null
  created_at: number
  updated_at: number
  last_activity_at: number
  sla_due_at: number
  tags: string[]
  followers: number[]
  requesterEmail: string
  organizationId: number | null
}

describe.each(DATABASES)('queue API on %s', (kind) => {
  let t: TestServer
  let john: Client, alex: Client, sam: Client, lim: Client, ken: Client, admin: Client
  const ids = {} as Record<'john' | 'alex' | 'sam' | 'ken' | 'lena' | 'lim' | 'team' | 'acme', number>
  const dept = {} as Record<'support' | 'billing' | 'sysadmins', number>
  const numbers: string[] = []
  const base = Date.UTC(2026, 5, 1, 12)

  beforeAll(async () => {
    t = await startServer(kind)
    const db = t.app.db.writer
    const anon = new Client(t.url)
    ;[john, alex, sam, ken, admin] = (await Promise.all(
      ['john', 'alex', 'sam', 'ken', 'admin'].map((n) => anon.as(`${n}@example.com`)),
    )) as [Client, Client, Client, Client, Client]
    const idOf = async (email: string) =>
      (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
    const deptOf = async (name: string) =>
      (await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
    ids.john = await idOf('john@example.com')
    ids.alex = await idOf('alex@example.com')
    ids.sam = await idOf('sam@example.com')
    ids.ken = await idOf('ken@example.com')
    ids.lena = await idOf('lena@example.com')
    dept.support = await deptOf('Support')
    dept.billing = await deptOf('Billing')
    dept.sysadmins = await deptOf('System Administrators')
    const limited = await db
      .selectFrom('roles')
      .select('id')
      .where('key', '=', 'limited_access')
      .executeTakeFirstOrThrow()
    ids.lim = (
      await db
        .insertInto('users')
        .values({
          type: 'agent',
          name: 'Lim Ited',
          email: 'lim@example.com',
          password_hash: await hashPassword('demo-password'),
          primary_department_id: dept.support,
          created_at: base,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    await db
      .insertInto('agent_departments')
      .values({ agent_id: ids.lim, department_id: dept.support, role_id: limited.id })
      .execute()
    lim = await anon.as('lim@example.com')
    ids.team = (
      await db
        .insertInto('teams')
        .values({ name: 'Tier 2', created_at: base })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    await db.insertInto('team_members').values({ team_id: ids.team, agent_id: ids.john }).execute()
    john = await anon.as('john@example.com') // picks up the team
    ids.acme = (
      await db
        .insertInto('organizations')
        .values({ name: 'Acme', created_at: base })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    await db.updateTable('users').set({ organization_id: ids.acme }).where('id', '=', ids.ken).execute()
    await db
      .insertInto('custom_fields')
      .values({ key: 'plan', label: 'Plan', type: 'text', created_at: base })
      .execute()
    await t.app.fields.load(t.app.db.read)

    for (let i = 0; i < N; i++) {
      const requester = i % 3 === 0 ? 'lena@example.com' : 'ken@example.com'
      const res = await john.post('/api/v1/tickets', {
        subject: `Queue ticket ${i} ${i === 17 ? 'zebracrossing' : 'plain'}`,
        message: `Body of ${i}.`,
        requester: { email: requester },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      numbers.push(res.body.ticket.number)
    }
    // Shape the rows directly; the counters' triggers see these writes like any other.
    for (let i = 0; i < N; i++) {
      const department = i % 12 === 11 ? dept.sysadmins : i % 6 === 5 ? dept.billing : dept.support
      const due = i % 5 === 0 ? null : base + ((i * 13) % N) * 60_000
      await db
        .updateTable('tickets')
        .set({
          priority: PRIORITIES[i % 4]!,
          status: STATUSES[i % 5]!,
          department_id: department,
          assignee_agent_id:
            i % 4 === 1 ? ids.john : i % 4 === 2 && department === dept.support ? ids.alex : null,
          assignee_team_id: i % 7 === 3 ? ids.team : null,
          sla_state: SLA[i % 5] as never,
          sla_resolution_due_at: due,
          sla_first_response_due_at: i % 10 === 1 ? base - 3_600_000 : null,
          sla_first_responded_at: i % 20 === 1 ? base - 7_200_000 : null,
          created_at: base - i * 60_000,
          updated_at: base - ((i * 7) % N) * 60_000,
          last_activity_at: base - ((i * 11) % N) * 60_000,
          custom_fields: i === 22 ? JSON.stringify({ plan: 'Enterprise' }) : '{}',
        })
        .where('number', '=', numbers[i]!)
        .execute()
    }
    const idsOfNumbers = await db.selectFrom('tickets').select(['id', 'number']).execute()
    const idOfNumber = new Map(idsOfNumbers.map((r) => [r.number, r.id]))
    for (let i = 0; i < N; i++) {
      const ticketId = idOfNumber.get(numbers[i]!)!
      if (i % 5 === 0)
        await db.insertInto('ticket_tags').values({ ticket_id: ticketId, tag: 'vip' }).execute()
      if (i % 3 === 0)
        await db.insertInto('ticket_tags').values({ ticket_id: ticketId, tag: 'refund' }).execute()
      if (i % 8 === 0 || i === 11)
        await db
          .insertInto('ticket_followers')
          .values({ ticket_id: ticketId, agent_id: ids.john, created_at: base })
          .onConflict((oc) => oc.doNothing())
          .execute()
    }
    await t.settle()
  })
  afterAll(() => t?.close())

  /** Every ticket as the database has it now, with what the oracle needs. */
  async function rows(): Promise<Row[]> {
    const db = t.app.db.read
    const tickets = await db
      .selectFrom('tickets')
      .innerJoin('users as r', 'r.id', 'tickets.requester_id')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.department_id',
        'tickets.assignee_agent_id',
        'tickets.assignee_team_id',
        'tickets.requester_id',
        'tickets.priority',
        'tickets.status',
        'tickets.sla_state',
        'tickets.created_at',
        'tickets.updated_at',
        'tickets.last_activity_at',
        'tickets.sla_resolution_due_at',
        'tickets.sla_next_response_due_at',
        'tickets.sla_first_response_due_at',
        'tickets.sla_first_responded_at',
        'r.email',
        'r.organization_id',
      ])
      .execute()
    const tags = await db.selectFrom('ticket_tags').selectAll().execute()
    const followers = await db.selectFrom('ticket_followers').select(['ticket_id', 'agent_id']).execute()
    return tickets.map((x) => {
      const running = [
        x.sla_first_responded_at === null ? x.sla_first_response_due_at : null,
        x.sla_next_response_due_at,
        x.sla_resolution_due_at,
      ].filter((v): v is number => v !== null)
      return {
        ...x,
        sla_due_at: running.length ? Math.min(...running) : NO_DUE,
        tags: tags.filter((g) => g.ticket_id === x.id).map((g) => g.tag),
        followers: followers.filter((f) => f.ticket_id === x.id).map((f) => f.agent_id),
        requesterEmail: x.email,
        organizationId: x.organization_id,
      }
    })
  }

  const johnSees = (r: Row) =>
    r.department_id === dept.support ||
    r.assignee_agent_id === ids.john ||
    r.assignee_team_id === ids.team ||
    r.followers.includes(ids.john)

  /** Every page of a list, following nextCursor. */
  async function allPages(
    client: Client,
    query: string,
    limit = 7,
    during?: (page: number) => Promise<void>,
  ) {
    const seen: any[] = []
    let cursor: string | null = null
    for (let page = 0; page < 100; page++) {
      const res: { status: number; body: any } = await client.get(
        `/api/v1/tickets?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      seen.push(...res.body.items)
      cursor = res.body.nextCursor
      if (during) await during(page)
      if (!cursor) return seen
    }
    throw new Error('more than 100 pages')
  }

  const FILTERS: [string, (r: Row) => boolean][] = [
    ['status=open', (r) => r.status === 'open'],
    ['status=open,pending', (r) => ['open', 'pending'].includes(r.status)],
    ['statusCategory=resolved&statusCategory=closed', (r) => ['resolved', 'closed'].includes(r.status)],
    ['priority=emergency,high', (r) => ['emergency', 'high'].includes(r.priority)],
    ['departmentId=DEPT_BILLING', (r) => r.department_id === dept.billing],
    ['assignee=me', (r) => r.assignee_agent_id === ids.john],
    ['assignee=none', (r) => r.assignee_agent_id === null],
    ['assignee=ALEX,me', (r) => r.assignee_agent_id === ids.alex || r.assignee_agent_id === ids.john],
    ['teamId=TEAM', (r) => r.assignee_team_id === ids.team],
    ['requester=lena@example.com', (r) => r.requesterEmail === 'lena@example.com'],
    ['requester=KEN', (r) => r.requester_id === ids.ken],
    ['organizationId=ACME', (r) => r.organizationId === ids.acme],
    ['tag=vip', (r) => r.tags.includes('vip')],
    ['tag=vip,refund', (r) => r.tags.includes('vip') || r.tags.includes('refund')],
    ['sla=breached', (r) => r.sla_state === 'breached'],
    ['sla=at_risk&sla=paused', (r) => r.sla_state === 'at_risk' || r.sla_state === 'paused'],
    ['createdFrom=CREATED_FROM', (r) => r.created_at >= base - 20 * 60_000],
    ['createdTo=CREATED_FROM', (r) => r.created_at <= base - 20 * 60_000],
    [
      'updatedFrom=CREATED_FROM&updatedTo=UPDATED_TO',
      (r) => r.updated_at >= base - 20 * 60_000 && r.updated_at <= base - 5 * 60_000,
    ],
    ['following=true', (r) => r.followers.includes(ids.john)],
    [
      'priority=low&status=open,closed&tag=refund',
      (r) => r.priority === 'low' && ['open', 'closed'].includes(r.status) && r.tags.includes('refund'),
    ],
  ]
  const fill = (q: string) =>
    q
      .replace('DEPT_BILLING', String(dept.billing))
      .replace('ALEX', String(ids.alex))
      .replace('TEAM', String(ids.team))
      .replace('KEN', String(ids.ken))
      .replace('ACME', String(ids.acme))
      .replace('CREATED_FROM', new Date(base - 20 * 60_000).toISOString())
      .replace('UPDATED_TO', new Date(base - 5 * 60_000).toISOString())

  it.each(FILTERS)('filters by %s, in scope, across pages', async (query, match) => {
    const expected = (await rows()).filter((r) => johnSees(r) && match(r)).map((r) => r.number)
    expect(expected.length, 'the oracle finds some tickets').toBeGreaterThan(0)
    const got = (await allPages(john, fill(query))).map((x) => x.number)
    expect(new Set(got).size, 'no ticket twice').toBe(got.length)
    expect([...got].sort()).toEqual([...expected].sort())
  })

  it('applies the built-in views and lets explicit statuses replace their default', async () => {
    const all = (await rows()).filter(johnSees)
    const check = async (query: string, match: (r: Row) => boolean) => {
      const got = (await allPages(john, query, 20)).map((x) => x.number).sort()
      expect(got, query).toEqual(
        all
          .filter(match)
          .map((r) => r.number)
          .sort(),
      )
    }
    await check('view=mine', (r) => ACTIVE.includes(r.status) && r.assignee_agent_id === ids.john)
    await check('view=open', (r) => ACTIVE.includes(r.status))
    await check(
      'view=unassigned',
      (r) => ACTIVE.includes(r.status) && r.assignee_agent_id === null && r.assignee_team_id === null,
    )
    await check('view=following', (r) => ACTIVE.includes(r.status) && r.followers.includes(ids.john))
    await check(
      'view=following&statusCategory=closed',
      (r) => r.status === 'closed' && r.followers.includes(ids.john),
    )
    await check(
      'view=mine&priority=high',
      (r) => ACTIVE.includes(r.status) && r.assignee_agent_id === ids.john && r.priority === 'high',
    )
  })

  const SORTS: [string, string, (r: Row) => number[]][] = [
    ['activity', 'desc', (r) => [r.last_activity_at, r.id]],
    ['activity', 'asc', (r) => [r.last_activity_at, r.id]],
    ['created', 'desc', (r) => [r.created_at, r.id]],
    ['created', 'asc', (r) => [r.created_at, r.id]],
    ['updated', 'desc', (r) => [r.updated_at, r.id]],
    ['updated', 'asc', (r) => [r.updated_at, r.id]],
    ['priority', 'desc', (r) => [RANK[r.priority]!, r.last_activity_at, r.id]],
    ['priority', 'asc', (r) => [RANK[r.priority]!, r.last_activity_at, r.id]],
    ['due', 'asc', (r) => [r.sla_due_at, r.id]],
    ['due', 'desc', (r) => [r.sla_due_at, r.id]],
  ]
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
    return 0
  }

  it.each(SORTS)('sorts by %s %s, in order across pages', async (sort, order, key) => {
    const visible = (await rows()).filter(johnSees)
    const sign = order === 'desc' ? -1 : 1
    const expected = [...visible].sort((a, b) => sign * compare(key(a), key(b))).map((r) => r.number)
    const got = (await allPages(john, `sort=${sort}&order=${order}`, 9)).map((x) => x.number)
    expect(got).toEqual(expected)
  })

  it.each(SORTS.filter(([sort, order]) => order === 'desc' || sort === 'created' || sort === 'due'))(
    'pages by %s %s while tickets are being changed: nothing lost, nothing twice',
    async (sort, order) => {
      const before = (await rows()).filter(johnSees)
      const touched = new Set<string>()
      const victims = before.filter((r) => r.department_id === dept.support).map((r) => r.number)
      let pages = 0
      const got = (
        await allPages(john, `sort=${sort}&order=${order}`, 5, async (page) => {
          pages = page + 1
          // A note moves a ticket's activity and update times while the list is being read.
          for (const number of victims.slice(page * 2, page * 2 + 2)) {
            touched.add(number)
            const res = await john.post(`/api/v1/tickets/${number}/messages`, {
              body: 'meanwhile',
              internal: true,
            })
            expect(res.status).toBe(201)
          }
        })
      ).map((x) => x.number)
      expect(pages).toBeGreaterThanOrEqual(5)
      // Every ticket that did not change is listed exactly once. A changed ticket may move: up front in the
      // newest-first sorts (never listed twice there), or anywhere when the change moved its due time.
      const untouched = before.map((r) => r.number).filter((n) => !touched.has(n))
      for (const n of untouched)
        expect(
          got.filter((x) => x === n),
          `ticket ${n}`,
        ).toHaveLength(1)
      if (order === 'desc' && sort !== 'due') expect(new Set(got).size, 'no ticket twice').toBe(got.length)
    },
  )

  it('refuses a cursor of another sort, and a made-up one, with 400 invalid_cursor', async () => {
    const first = await john.get('/api/v1/tickets?sort=created&limit=2')
    const other = await john.get(`/api/v1/tickets?sort=due&cursor=${first.body.nextCursor}`)
    expect(other.status).toBe(400)
    expect(other.body.error.code).toBe('invalid_cursor')
    const junk = await john.get('/api/v1/tickets?cursor=bm9wZQ')
    expect(junk.body.error.code).toBe('invalid_cursor')
    const bad = await john.get('/api/v1/tickets?sort=nearest')
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('validation_failed')
    const badFilter = await john.get('/api/v1/tickets?priority=urgent')
    expect(badFilter.status).toBe(400)
  })

  it('returns the tags of each ticket', async () => {
    const res = await john.get(`/api/v1/tickets?q=${numbers[15]}`)
    expect(res.body.items[0].number).toBe(numbers[15])
    expect(res.body.items[0].tags).toEqual(['refund', 'vip'])
    const one = await john.get(`/api/v1/tickets/${numbers[15]}`)
    expect(one.body.ticket.tags).toEqual(['refund', 'vip'])
  })

  describe('search', () => {
    it('finds a ticket by its number, with or without #, first', async () => {
      for (const q of [numbers[40]!, `#${numbers[40]}`]) {
        const res = await john.get(`/api/v1/tickets?q=${encodeURIComponent(q)}`)
        expect(res.status).toBe(200)
        expect(res.body.items[0]?.number, q).toBe(numbers[40])
      }
      // Not for someone who may not see it: Sam (Billing) does not see a Support ticket.
      const hidden = await sam.get(`/api/v1/tickets?q=${numbers[40]}`)
      expect(hidden.body.items.map((x: any) => x.number)).not.toContain(numbers[40])
    })

    it('finds tickets by requester email and by the start of their name', async () => {
      const lenas = (await rows()).filter((r) => johnSees(r) && r.requesterEmail === 'lena@example.com')
      for (const q of ['lena@example.com', 'Lena', 'lena p', 'LEN']) {
        const got = (await allPages(john, `q=${encodeURIComponent(q)}`, 50)).map((x) => x.number).sort()
        expect(got, q).toEqual(lenas.map((r) => r.number).sort())
      }
    })

    it('finds tickets by tag and by a custom field value', async () => {
      const vip = (await rows()).filter((r) => johnSees(r) && r.tags.includes('vip'))
      const got = (await allPages(john, 'q=VIP', 50)).map((x) => x.number).sort()
      expect(got).toEqual(vip.map((r) => r.number).sort())
      const plan = await john.get('/api/v1/tickets?q=enterprise')
      expect(plan.body.items.map((x: any) => x.number)).toEqual([numbers[22]])
    })

    it('finds words in subjects and threads, combined with filters; customers never by a note', async () => {
      const res = await john.get('/api/v1/tickets?q=zebracrossing&priority=low,normal,high,emergency')
      expect(res.body.items.map((x: any) => x.number)).toEqual([numbers[17]])
      const noteWord = 'quokkanoteword'
      const posted = await john.post(`/api/v1/tickets/${numbers[4]}/messages`, {
        body: noteWord,
        internal: true,
      })
      expect(posted.status).toBe(201)
      expect((await john.get(`/api/v1/tickets?q=${noteWord}`)).body.items.map((x: any) => x.number)).toEqual([
        numbers[4],
      ])
      expect((await ken.get(`/api/v1/tickets?q=${noteWord}`)).body.items).toEqual([])
    })
  })

  describe('saved views', () => {
    it('keeps a personal view to its owner: others get 404, as for a missing one', async () => {
      const made = await john.post('/api/v1/views', {
        name: 'My emergencies',
        filters: { priority: ['emergency'], statusCategory: ['open', 'pending'], createdFrom: '2026-01-01' },
        sort: { sort: 'due', order: 'asc' },
        columns: ['number', 'subject', 'sla'],
      })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      const view = made.body.view
      expect(view).toMatchObject({
        name: 'My emergencies',
        shared: false,
        departmentId: null,
        ownerAgentId: ids.john,
        filters: {
          priority: ['emergency'],
          statusCategory: ['open', 'pending'],
          createdFrom: '2026-01-01T00:00:00.000Z',
        },
        sort: { sort: 'due', order: 'asc' },
        columns: ['number', 'subject', 'sla'],
        editable: true,
      })
      expect((await john.get('/api/v1/views')).body.items.map((v: any) => v.id)).toContain(view.id)
      expect((await alex.get('/api/v1/views')).body.items.map((v: any) => v.id)).not.toContain(view.id)
      const missing = await alex.patch('/api/v1/views/999999', { name: 'x' })
      for (const res of [
        await alex.patch(`/api/v1/views/${view.id}`, { name: 'Mine now' }),
        await alex.request('DELETE', `/api/v1/views/${view.id}`),
      ]) {
        expect(res.status).toBe(404)
        expect(res.body).toEqual(missing.body)
      }
      expect((await alex.get(`/api/v1/tickets?viewId=${view.id}`)).status).toBe(404)
      expect((await ken.get('/api/v1/views')).status).toBe(403)

      // Its filters and sort apply to the list; explicit parameters override them.
      const listed = (await allPages(john, `viewId=${view.id}`, 3)).map((x) => x.number)
      const expected = (await rows())
        .filter((r) => johnSees(r) && r.priority === 'emergency' && ['open', 'pending'].includes(r.status))
        .sort((a, b) => compare([a.sla_due_at, a.id], [b.sla_due_at, b.id]))
        .map((r) => r.number)
      expect(listed).toEqual(expected)
      const overridden = (
        await allPages(john, `viewId=${view.id}&priority=low&sort=created&order=asc`, 50)
      ).map((x) => x.number)
      expect(overridden).toEqual(
        (await rows())
          .filter((r) => johnSees(r) && r.priority === 'low' && ['open', 'pending'].includes(r.status))
          .sort((a, b) => a.created_at - b.created_at)
          .map((r) => r.number),
      )

      const renamed = await john.patch(`/api/v1/views/${view.id}`, {
        name: 'Emergencies',
        filters: { sla: ['breached'] },
      })
      expect(renamed.status).toBe(200)
      expect(renamed.body.view).toMatchObject({
        name: 'Emergencies',
        filters: { sla: ['breached'] },
        sort: { sort: 'due' },
      })
      expect((await john.request('DELETE', `/api/v1/views/${view.id}`)).status).toBe(204)
      expect((await john.get(`/api/v1/tickets?viewId=${view.id}`)).status).toBe(404)
    })

    it('shares views with a department or everyone only with view.share (or as an admin)', async () => {
      const support = await john.post('/api/v1/views', {
        name: 'Support high',
        shared: true,
        departmentId: dept.support,
        filters: { priority: ['high'] },
      })
      expect(support.status, JSON.stringify(support.body)).toBe(201)
      const id = support.body.view.id
      expect(support.body.view).toMatchObject({
        shared: true,
        departmentId: dept.support,
        ownerAgentId: null,
      })
      // Alex (Support, Expanded Access) sees and may change it; Lim (Support, Limited) sees it but may not;
      // Sam (Billing) does not see it at all.
      const alexView = (await alex.get('/api/v1/views')).body.items.find((v: any) => v.id === id)
      expect(alexView?.editable).toBe(true)
      const limView = (await lim.get('/api/v1/views')).body.items.find((v: any) => v.id === id)
      expect(limView?.editable).toBe(false)
      const limEdit = await lim.patch(`/api/v1/views/${id}`, { name: 'Mine' })
      expect(limEdit.status).toBe(403)
      expect(limEdit.body.error.code).toBe('view_share_forbidden')
      expect((await lim.request('DELETE', `/api/v1/views/${id}`)).status).toBe(403)
      expect((await sam.get('/api/v1/views')).body.items.map((v: any) => v.id)).not.toContain(id)
      expect((await sam.patch(`/api/v1/views/${id}`, { name: 'x' })).status).toBe(404)
      expect((await alex.patch(`/api/v1/views/${id}`, { name: 'Support: high' })).status).toBe(200)

      // John holds view.share in Support only.
      const billing = await john.post('/api/v1/views', {
        name: 'Billing',
        shared: true,
        departmentId: dept.billing,
      })
      expect(billing.status).toBe(403)
      expect(billing.body.error.code).toBe('view_share_forbidden')
      const limShare = await lim.post('/api/v1/views', { name: 'Everyone', shared: true })
      expect(limShare.status).toBe(403)
      const limPersonal = await lim.post('/api/v1/views', { name: 'Mine', filters: { assignee: ['me'] } })
      expect(limPersonal.status).toBe(201)
      // Lim may not share their own view either.
      expect((await lim.patch(`/api/v1/views/${limPersonal.body.view.id}`, { shared: true })).status).toBe(
        403,
      )

      const everyone = await admin.post('/api/v1/views', {
        name: 'All emergencies',
        shared: true,
        filters: { priority: ['emergency'] },
      })
      expect(everyone.status, JSON.stringify(everyone.body)).toBe(201)
      for (const c of [john, sam, lim]) {
        expect((await c.get('/api/v1/views')).body.items.map((v: any) => v.id)).toContain(
          everyone.body.view.id,
        )
      }

      const personalWithDepartment = await john.post('/api/v1/views', {
        name: 'x',
        departmentId: dept.support,
      })
      expect(personalWithDepartment.status).toBe(400)
      expect(personalWithDepartment.body.error.code).toBe('personal_view_department')
      const badFilters = await john.post('/api/v1/views', { name: 'x', filters: { priority: ['urgent'] } })
      expect(badFilters.status).toBe(400)
      const badColumns = await john.post('/api/v1/views', { name: 'x', columns: ['secret'] })
      expect(badColumns.status).toBe(400)
      const blank = await john.post('/api/v1/views', { name: '   ' })
      expect(blank.status).toBe(400)
    })
  })

  describe('counts', () => {
    async function queues(client: Client) {
      const res = await client.get('/api/v1/queues')
      expect(res.status).toBe(200)
      return new Map<string, any>(res.body.items.map((q: any) => [q.key, q]))
    }

    it('counts every queue and view as its list holds, capped views included', async () => {
      const made: Record<string, number> = {}
      for (const [name, filters] of [
        ['High', { priority: ['high'], statusCategory: ['open', 'pending', 'on_hold'] }],
        ['Breached of mine', { sla: ['breached'], assignee: ['me', 'none'] }],
        ['Team', { teamId: [ids.team] }],
        ['Followed closed', { following: true, status: ['closed'] }],
        ['VIP', { tag: ['vip'] }],
        ['Lena', { requester: ['lena@example.com'], createdFrom: '2026-05-01' }],
      ] as const) {
        const res = await john.post('/api/v1/views', { name, filters })
        expect(res.status, JSON.stringify(res.body)).toBe(201)
        made[name] = res.body.view.id
      }
      const counts = await queues(john)
      for (const [key, q] of counts) {
        const query =
          q.viewId !== undefined
            ? `viewId=${q.viewId}`
            : key.startsWith('department:')
              ? `view=open&departmentId=${key.slice(11)}`
              : `view=${key}`
        const listed = await allPages(john, query, 100)
        expect(q.count, `${key} (${q.name})`).toBe(listed.length)
        expect(q.countCapped ?? false).toBe(false)
      }
      expect(counts.get(`view:${made.VIP}`)).toMatchObject({ name: 'VIP', shared: false, viewId: made.VIP })
      expect(counts.get('following')).toMatchObject({ name: 'Following' })
      expect([...counts.keys()].slice(0, 3)).toEqual(['mine', 'open', 'unassigned'])
    })

    it('stays right at once after a transfer, an assignment and a status change, and tells who lost the ticket', async () => {
      const db = t.app.db.read
      const open = (await rows()).find(
        (r) =>
          r.department_id === dept.support &&
          r.status === 'open' &&
          r.assignee_agent_id === null &&
          r.assignee_team_id === null &&
          !r.followers.includes(ids.john),
      )!
      const [jBefore, aBefore] = [await queues(john), await queues(alex)]
      const alexStream = new SseReader(`${t.url}/api/v1/events`, alex.token!)
      await alexStream.ready
      const version = async () =>
        (await db.selectFrom('tickets').select('version').where('id', '=', open.id).executeTakeFirstOrThrow())
          .version

      // Assign to Alex: Alex's Mine goes up, everyone's Unassigned down.
      let res = await john.patch(`/api/v1/tickets/${open.number}`, {
        version: await version(),
        assigneeAgentId: ids.alex,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      let [j, a] = [await queues(john), await queues(alex)]
      expect(a.get('mine').count).toBe(aBefore.get('mine').count + 1)
      expect(j.get('unassigned').count).toBe(jBefore.get('unassigned').count - 1)
      expect(j.get('open').count).toBe(jBefore.get('open').count)

      await t.settle()
      await alexStream.waitFor((e) => e.event === 'ticket' && e.data.ticketNumber === open.number)
      const seenBeforeTransfer = alexStream.events.length

      // Transfer to Billing: it leaves Alex's queues (released: not a member there) and John's department;
      // John, who is not in Billing either, follows it now.
      res = await john.patch(`/api/v1/tickets/${open.number}`, {
        version: await version(),
        departmentId: dept.billing,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      ;[j, a] = [await queues(john), await queues(alex)]
      expect(a.get('mine').count).toBe(aBefore.get('mine').count)
      expect(a.get('open').count).toBe(aBefore.get('open').count - 1)
      expect(j.get(`department:${dept.support}`).count).toBe(
        jBefore.get(`department:${dept.support}`).count - 1,
      )
      expect(j.get('following').count).toBe(jBefore.get('following').count + 1)
      // Alex can no longer see the ticket, so he is told only that his queues changed.
      await t.settle()
      await alexStream.waitFor((e) => e.event === 'queues')
      expect(alexStream.events.slice(seenBeforeTransfer).filter((e) => e.event === 'ticket')).toEqual([])
      alexStream.close()

      // Sam resolves it: John's Following drops back.
      const samClient = sam
      res = await samClient.patch(`/api/v1/tickets/${open.number}`, {
        version: await version(),
        status: 'resolved',
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      j = await queues(john)
      expect(j.get('following').count).toBe(jBefore.get('following').count)
      expect(j.get('open').count).toBe(jBefore.get('open').count - 1)
    })
  })
})
