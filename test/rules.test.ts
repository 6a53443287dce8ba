// Rules: conditions and actions through the admin API, run inside the ticket commands, recorded as events,
// with no loops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ruleMatches, type RuleSubject } from '../src/domain/rules.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe('ruleMatches', () => {
  const subject: RuleSubject = {
    subject: 'Major OUTAGE in London',
    body: 'All down',
    requesterEmail: 'ops@bigcorp.example',
    channel: 'email',
    priority: 'normal',
    status: 'open',
    department: { id: 1, name: 'Support' },
    topic: null,
    fields: { plan: 'pro', tags: ['a', 'b'] },
  }
  const one = (field: string, op: string, value: string) =>
    ruleMatches({ match: 'all', conditions: [{ field, op, value } as never] }, subject)
  it('tests every operator, ignoring case', () => {
    expect(one('subject', 'contains', 'outage')).toBe(true)
    expect(one('subject', 'not_contains', 'outage')).toBe(false)
    expect(one('subject', 'starts_with', 'major')).toBe(true)
    expect(one('subject', 'ends_with', 'london')).toBe(true)
    expect(one('requester_domain', 'equals', 'BIGCORP.example')).toBe(true)
    expect(one('requester_email', 'not_equals', 'x@y.z')).toBe(true)
    expect(one('department', 'equals', 'support')).toBe(true)
    expect(one('department', 'equals', '1')).toBe(true)
    expect(one('subject', 'regex', '^major\\s+outage')).toBe(true)
    expect(one('field.plan', 'equals', 'pro')).toBe(true)
    expect(one('field.tags', 'equals', 'b')).toBe(true)
    expect(one('topic', 'equals', 'x')).toBe(false)
  })
  it('combines with all and any', () => {
    const c = [
      { field: 'subject', op: 'contains', value: 'outage' },
      { field: 'channel', op: 'equals', value: 'web' },
    ] as never
    expect(ruleMatches({ match: 'all', conditions: c }, subject)).toBe(false)
    expect(ruleMatches({ match: 'any', conditions: c }, subject)).toBe(true)
  })
})

describe.each(DATABASES)('rules on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let admin: Client
  let ken: Client
  let john: Client
  let departments: Record<string, number>

  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    const ds = (await john.get('/api/v1/departments')).body.items as { id: number; name: string }[]
    departments = Object.fromEntries(ds.map((d) => [d.name, d.id]))
  })
  afterAll(() => t.close())

  it('sends a subject containing "outage" to System Administrators at Emergency', async () => {
    const rule = await admin.post('/api/v1/admin/rules', {
      name: 'Outages go to sysadmins',
      event: 'ticket.created',
      conditions: [{ field: 'subject', op: 'contains', value: 'outage' }],
      match: 'all',
      actions: [
        { type: 'set_department', value: departments['System Administrators'] },
        { type: 'set_priority', value: 'emergency' },
        { type: 'add_tag', value: 'outage' },
      ],
      position: 10,
      stopProcessing: false,
    })
    expect(rule.status).toBe(201)
    const listed = await admin.get('/api/v1/admin/rules')
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: rule.body.id, name: 'Outages go to sysadmins' }),
    )

    const created = await ken.post('/api/v1/tickets', {
      subject: 'Network Outage on floor 3',
      message: 'Nothing works',
    })
    expect(created.status).toBe(201)
    expect(created.body.ticket).toMatchObject({
      department: { name: 'System Administrators' },
      priority: 'emergency',
    })
    const jane = await anon.as('jane@example.com')
    const detail = await jane.get(`/api/v1/tickets/${created.body.ticket.number}`)
    // The SLA follows the rule's priority, counted 24x7.
    expect(detail.body.ticket.sla).toMatchObject({ plan: { name: 'Standard' }, state: 'ok' })
    const due =
      Date.parse(detail.body.ticket.sla.firstResponseDueAt) - Date.parse(detail.body.ticket.createdAt)
    expect(due).toBe(30 * 60_000)
    expect(detail.body.events).toContainEqual(
      expect.objectContaining({
        type: 'rule.fired',
        after: expect.objectContaining({ ruleId: rule.body.id, rule: 'Outages go to sysadmins' }),
      }),
    )
    const tags = await jane.get(`/api/v1/tickets/${created.body.ticket.number}/tags`)
    expect(tags.body.items).toEqual(['outage'])
    // Ken sees his own ticket in its new department.
    expect((await ken.get(`/api/v1/tickets/${created.body.ticket.number}`)).status).toBe(200)

    const other = await ken.post('/api/v1/tickets', { subject: 'Printer toner', message: 'Empty' })
    expect(other.body.ticket).toMatchObject({ department: { name: 'Support' }, priority: 'normal' })
  })

  it('runs on updates and messages too, once per change, and never triggers itself', async () => {
    const onUpdate = await admin.post('/api/v1/admin/rules', {
      name: 'High priority gets a tag and goes higher',
      event: 'ticket.updated',
      conditions: [{ field: 'priority', op: 'equals', value: 'high' }],
      actions: [
        { type: 'set_priority', value: 'emergency' },
        { type: 'add_tag', value: 'escalated' },
      ],
    })
    expect(onUpdate.status).toBe(201)
    const loop = await admin.post('/api/v1/admin/rules', {
      name: 'Emergency goes back to high (would loop)',
      event: 'ticket.updated',
      conditions: [{ field: 'priority', op: 'equals', value: 'emergency' }],
      actions: [{ type: 'set_priority', value: 'high' }],
      position: 100,
    })
    expect(loop.status).toBe(201)
    const ticket = (await ken.post('/api/v1/tickets', { subject: 'Slow laptop', message: 'Very slow' })).body
      .ticket
    const updated = await john.patch(`/api/v1/tickets/${ticket.number}`, {
      version: ticket.version,
      priority: 'high',
    })
    expect(updated.status).toBe(200)
    const events = (await john.get(`/api/v1/tickets/${ticket.number}`)).body.events as {
      type: string
      after: any
    }[]
    const fired = events.filter((e) => e.type === 'rule.fired').map((e) => e.after.rule)
    // Each rule ran once, in order, on the state the previous one left; neither re-triggered anything.
    expect(fired).toEqual([
      'High priority gets a tag and goes higher',
      'Emergency goes back to high (would loop)',
    ])
    expect(updated.body.ticket.priority).toBe('high')
    await admin.request('DELETE', `/api/v1/admin/rules/${onUpdate.body.id}`)
    await admin.request('DELETE', `/api/v1/admin/rules/${loop.body.id}`)

    const canned = await admin.post('/api/v1/admin/canned-responses', {
      title: 'Got it',
      body: 'Hello {{requester.name}}, we have your message on #{{ticket.number}}.',
    })
    const onMessage = await admin.post('/api/v1/admin/rules', {
      name: 'Acknowledge "urgent" follow-ups',
      event: 'message.received',
      conditions: [{ field: 'body', op: 'regex', value: '\\burgent\\b' }],
      actions: [{ type: 'send_canned_reply', value: canned.body.id }],
      stopProcessing: true,
    })
    expect(onMessage.status).toBe(201)
    await ken.post(`/api/v1/tickets/${ticket.number}/messages`, { body: 'This is URGENT now' })
    const thread = (await ken.get(`/api/v1/tickets/${ticket.number}`)).body.thread as {
      kind: string
      body: string
    }[]
    expect(thread.at(-1)).toMatchObject({
      kind: 'response',
      body: `Hello Ken Adams, we have your message on #${ticket.number}.`,
    })
    // An automatic reply is not a first response.
    expect((await john.get(`/api/v1/tickets/${ticket.number}`)).body.ticket.sla.firstRespondedAt).toBeNull()
    await admin.request('DELETE', `/api/v1/admin/rules/${onMessage.body.id}`)
  })

  it('sets a team, a follower and an SLA plan, matching custom fields and the channel', async () => {
    const team = await t.app.db.writer
      .insertInto('teams')
      .values({ name: 'VIP desk', created_at: Date.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await admin.post('/api/v1/admin/custom-fields', {
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['free', 'vip'],
    })
    const plans = (await admin.get('/api/v1/admin/sla-plans')).body.items
    const sam = (await john.get('/api/v1/agents?q=sam')).body.items[0]
    const rule = await admin.post('/api/v1/admin/rules', {
      name: 'VIPs',
      event: 'ticket.created',
      conditions: [
        { field: 'field.tier', op: 'equals', value: 'vip' },
        { field: 'channel', op: 'equals', value: 'api' },
      ],
      actions: [
        { type: 'set_team', value: team.id },
        { type: 'add_follower', value: sam.id },
        { type: 'set_sla_plan', value: plans[0].id },
      ],
    })
    expect(rule.status).toBe(201)
    const vip = await ken.post('/api/v1/tickets', { subject: 'Hello', message: 'x', fields: { tier: 'vip' } })
    const plain = await ken.post('/api/v1/tickets', {
      subject: 'Hello',
      message: 'x',
      fields: { tier: 'free' },
    })
    const vipDetail = (await john.get(`/api/v1/tickets/${vip.body.ticket.number}`)).body
    expect(vipDetail.ticket.assigneeTeam).toEqual({ id: team.id, name: 'VIP desk' })
    expect(vipDetail.followers.map((f: { id: number }) => f.id)).toEqual([sam.id])
    expect(vipDetail.events).toContainEqual(
      expect.objectContaining({
        type: 'sla.plan_changed',
        after: expect.objectContaining({ source: 'rule' }),
      }),
    )
    const plainDetail = (await john.get(`/api/v1/tickets/${plain.body.ticket.number}`)).body
    expect(plainDetail.ticket.assigneeTeam).toBeNull()
    await admin.request('DELETE', `/api/v1/admin/rules/${rule.body.id}`)
  })

  it('rejects with a ban list rule, and nothing is stored', async () => {
    const ban = await admin.post('/api/v1/admin/rules', {
      name: 'Ban list',
      event: 'ticket.created',
      conditions: [
        { field: 'requester_domain', op: 'equals', value: 'spam.example' },
        { field: 'requester_email', op: 'equals', value: 'lena@example.com' },
      ],
      match: 'any',
      actions: [{ type: 'reject' }],
    })
    expect(ban.status).toBe(201)
    const lena = await anon.as('lena@example.com')
    const refused = await lena.post('/api/v1/tickets', { subject: 'Hi', message: 'Buy now' })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('rejected')
    expect((await lena.get('/api/v1/tickets')).body.items).toEqual([])
    await admin.request('DELETE', `/api/v1/admin/rules/${ban.body.id}`)
    expect((await lena.post('/api/v1/tickets', { subject: 'Hi', message: 'Real question' })).status).toBe(201)
  })

  it('refuses invalid rules with 400', async () => {
    const cases = [
      {
        conditions: [{ field: 'nonsense', op: 'equals', value: 'x' }],
        actions: [{ type: 'add_tag', value: 'x' }],
      },
      {
        conditions: [{ field: 'subject', op: 'regex', value: '(' }],
        actions: [{ type: 'add_tag', value: 'x' }],
      },
      { conditions: [], actions: [{ type: 'set_department', value: 999999 }] },
      { conditions: [], actions: [{ type: 'set_priority', value: 'urgent' }] },
      { conditions: [], actions: [] },
    ]
    for (const c of cases) {
      const res = await admin.post('/api/v1/admin/rules', { name: 'bad', event: 'ticket.created', ...c })
      expect(res.status, JSON.stringify(c)).toBe(400)
    }
    const updateReject = await admin.post('/api/v1/admin/rules', {
      name: 'bad',
      event: 'ticket.updated',
      conditions: [],
      actions: [{ type: 'reject' }],
    })
    expect(updateReject.status).toBe(400)
    expect((await john.get('/api/v1/admin/rules')).status).toBe(403)
  })
})
