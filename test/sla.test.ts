// SLA due times through the API with a fixed clock: the Standard plan in office hours, pause and resume,
// priority changes, replies, the breach sweep (exactly once, across a restart), escalation, snooze, auto-close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createApp } from '../src/app.ts'
import { explain } from '../src/db/dialect.ts'
import { slaDueQuery } from '../src/repositories/sweepRepo.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { runSlaSweep } from '../src/jobs/slaSweep.ts'
import { runAutoCloseSweep, runSnoozeSweep } from '../src/jobs/statusSweeps.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const MIN = 60_000
const DAY = 86_400_000

describe.each(DATABASES)('service levels on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let ken: Client
  let john: Client
  let admin: Client
  const clock = new FixedClock(Date.parse('2026-11-27T16:00:00Z')) // Friday 16:00 in London (GMT)

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    anon = new Client(t.url)
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    admin = await anon.as('admin@example.com')
  })
  afterAll(() => t.close())

  async function open(subject: string, as: Client = ken, extra: Record<string, unknown> = {}) {
    const res = await as.post('/api/v1/tickets', { subject, message: 'Please help.', ...extra })
    expect(res.status).toBe(201)
    // SLA details are internal: customers get null, agents the block.
    if (as === ken) expect(res.body.ticket.sla).toBeNull()
    return (await john.get(`/api/v1/tickets/${res.body.ticket.number}`)).body.ticket
  }
  const get = async (number: string) => (await john.get(`/api/v1/tickets/${number}`)).body
  async function patch(number: string, body: Record<string, unknown>) {
    const current = await get(number)
    const res = await john.patch(`/api/v1/tickets/${number}`, { version: current.ticket.version, ...body })
    expect(res.status).toBe(200)
    return res.body.ticket
  }
  const eventTypes = async (number: string) =>
    ((await get(number)).events as { type: string }[]).map((e) => e.type)
  /** The SLA firings recorded on one ticket (other tests' tickets are swept too). */
  const fired = async (number: string) =>
    (await eventTypes(number)).filter((x) => x === 'sla.at_risk' || x === 'sla.breached')

  it('gives a new ticket the Standard plan counted in office hours', async () => {
    clock.set('2026-11-27T16:00:00Z')
    const ticket = await open('Printer jammed')
    expect(ticket.sla).toEqual({
      plan: { id: expect.any(Number), name: 'Standard' },
      // 4 office hours after Friday 16:00: 1 on Friday, 3 on Monday.
      firstResponseDueAt: '2026-11-30T11:00:00.000Z',
      nextResponseDueAt: null,
      // 16 office hours: 1 on Friday, 9 on Monday, 6 on Tuesday.
      resolutionDueAt: '2026-12-01T14:00:00.000Z',
      firstRespondedAt: null,
      finishedAt: null,
      state: 'ok',
    })
    // The list shows the same block.
    const list = await john.get('/api/v1/tickets?view=open')
    const row = list.body.items.find((i: { number: string }) => i.number === ticket.number)
    expect(row.sla).toEqual(ticket.sla)
  })

  it('pauses while pending and adds the paused business time back', async () => {
    clock.set('2026-11-27T16:00:00Z')
    const ticket = await open('VPN drops every hour')
    clock.set('2026-11-30T09:00:00Z') // Monday 09:00: 2 office hours used
    const paused = await patch(ticket.number, { status: 'pending' })
    expect(paused.sla.state).toBe('paused')
    clock.set('2026-12-01T09:00:00Z') // Tuesday 09:00: 9 office hours spent paused
    const resumed = await patch(ticket.number, { status: 'open' })
    expect(resumed.sla).toMatchObject({
      state: 'ok',
      firstResponseDueAt: '2026-12-01T11:00:00.000Z',
      resolutionDueAt: '2026-12-02T14:00:00.000Z',
    })
    // A custom on-hold status pauses too: the category decides, not the name.
    const added = await admin.post('/api/v1/admin/statuses', {
      key: 'awaiting_vendor',
      name: 'Awaiting vendor',
      category: 'on_hold',
    })
    expect(added.status).toBe(201)
    const statuses = await john.get('/api/v1/statuses')
    expect(statuses.body.items).toContainEqual({
      key: 'awaiting_vendor',
      name: 'Awaiting vendor',
      category: 'on_hold',
      position: 0,
    })
    const held = await patch(ticket.number, { status: 'awaiting_vendor' })
    expect(held).toMatchObject({ statusCategory: 'on_hold', sla: { state: 'paused' } })
    const dup = await admin.post('/api/v1/admin/statuses', {
      key: 'awaiting_vendor',
      name: 'X',
      category: 'open',
    })
    expect(dup.status).toBe(409)
    const notAdmin = await john.post('/api/v1/admin/statuses', { key: 'x', name: 'X', category: 'open' })
    expect(notAdmin.status).toBe(403)
  })

  it('retimes on a priority change, counting Emergency around the clock', async () => {
    clock.set('2026-11-27T16:00:00Z')
    const ticket = await open('Site is down')
    clock.set('2026-11-27T16:10:00Z')
    const urgent = await patch(ticket.number, { priority: 'emergency' })
    expect(urgent.sla).toMatchObject({
      firstResponseDueAt: '2026-11-27T16:30:00.000Z',
      resolutionDueAt: '2026-11-27T20:00:00.000Z',
      state: 'ok',
    })
  })

  it('stops first response on a reply and starts next response on the customer’s answer', async () => {
    clock.set('2026-11-30T09:00:00Z')
    const ticket = await open('Password reset')
    clock.set('2026-11-30T10:00:00Z')
    const reply = await john.post(`/api/v1/tickets/${ticket.number}/messages`, { body: 'Done, try now.' })
    expect(reply.body.ticket.sla).toMatchObject({
      firstRespondedAt: '2026-11-30T10:00:00.000Z',
      nextResponseDueAt: null,
    })
    clock.set('2026-11-30T10:30:00Z')
    const answer = await ken.post(`/api/v1/tickets/${ticket.number}/messages`, { body: 'Still broken.' })
    expect(answer.body.ticket.sla).toBeNull()
    expect((await get(ticket.number)).ticket.sla.nextResponseDueAt).toBe('2026-11-30T14:30:00.000Z')
    // An internal note is not a response.
    const note = await john.post(`/api/v1/tickets/${ticket.number}/messages`, {
      body: 'Looking',
      internal: true,
    })
    expect(note.body.ticket.sla.nextResponseDueAt).toBe('2026-11-30T14:30:00.000Z')
    const second = await john.post(`/api/v1/tickets/${ticket.number}/messages`, { body: 'Fixed now.' })
    expect(second.body.ticket.sla.nextResponseDueAt).toBeNull()
    // Resolving stops the clock.
    const resolved = await patch(ticket.number, { status: 'resolved' })
    expect(resolved.sla.state).toBe('ok')
  })

  it('fires at-risk and breach exactly once, also after a restart, and tells assignee and manager', async () => {
    const departments = (await john.get('/api/v1/departments')).body.items
    const support = departments.find((d: { name: string }) => d.name === 'Support')
    const jane = (await john.get('/api/v1/agents?q=jane')).body.items[0]
    const johnId = (await john.get('/api/v1/agents?q=john')).body.items[0].id
    const setManager = await admin.patch(`/api/v1/admin/departments/${support.id}`, { managerId: jane.id })
    expect(setManager.status).toBe(200)
    expect(setManager.body.department.managerId).toBe(jane.id)

    clock.set('2026-12-05T10:00:00Z') // a Saturday: Emergency counts anyway
    const ticket = await open('Mail is down', john, {
      requester: { email: 'ken@example.com' },
      priority: 'emergency',
    })
    await patch(ticket.number, { assigneeAgentId: johnId })
    await runSlaSweep(t.app)
    expect(await fired(ticket.number)).toEqual([])

    clock.set('2026-12-05T10:23:00Z') // less than 25% of 30 minutes left
    await runSlaSweep(t.app)
    expect(await fired(ticket.number)).toEqual(['sla.at_risk'])
    expect((await get(ticket.number)).ticket.sla.state).toBe('at_risk')
    await runSlaSweep(t.app)
    expect(await fired(ticket.number)).toEqual(['sla.at_risk'])

    // The process restarts: a new App over the same database, no memory carried over.
    const db2 = openDatabase(t.databaseUrl)
    const restarted = await createApp({ ...loadConfig({}), databaseUrl: t.databaseUrl }, db2, clock)
    try {
      clock.set('2026-12-05T10:31:00Z')
      await runSlaSweep(restarted)
      expect(await fired(ticket.number)).toEqual(['sla.at_risk', 'sla.breached'])
      await runSlaSweep(restarted)
      clock.set('2026-12-05T11:00:00Z')
      await runSlaSweep(restarted)
      await runSlaSweep(t.app)
      expect(await fired(ticket.number)).toEqual(['sla.at_risk', 'sla.breached'])
    } finally {
      await db2.close()
    }
    const types = await eventTypes(ticket.number)
    expect(types.filter((x) => x === 'sla.at_risk')).toHaveLength(1)
    expect(types.filter((x) => x === 'sla.breached')).toHaveLength(1)
    const detail = await get(ticket.number)
    expect(detail.ticket.sla.state).toBe('breached')
    const breachEvent = detail.events.find((e: { type: string }) => e.type === 'sla.breached')
    expect(breachEvent).toMatchObject({ channel: 'system', actor: null, after: { target: 'first_response' } })

    const janeClient = await anon.as('jane@example.com')
    const janeNotes = (await janeClient.get('/api/v1/notifications')).body.items
    // Jane manages Support but has no role there, so the notification list (scoped by access) hides it...
    expect(janeNotes.filter((n: { kind: string }) => n.kind.startsWith('sla_'))).toEqual([])
    // ...while John, the assignee, sees both.
    const johnNotes = (await john.get('/api/v1/notifications')).body.items
    const mine = johnNotes.filter((n: { ticketNumber: string }) => n.ticketNumber === ticket.number)
    expect(mine.map((n: { kind: string }) => n.kind)).toEqual(['sla_breached', 'sla_at_risk'])
    const stored = await t.app.db.read
      .selectFrom('notifications')
      .select(['user_id', 'kind'])
      .where(
        'ticket_id',
        '=',
        (
          await t.app.db.read
            .selectFrom('tickets')
            .select('id')
            .where('number', '=', ticket.number)
            .executeTakeFirstOrThrow()
        ).id,
      )
      .where('kind', 'like', 'sla_%')
      .execute()
    expect(
      stored
        .filter((n) => n.user_id === jane.id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['sla_at_risk', 'sla_breached'])
  })

  it('catches a breach that happened while the server was down', async () => {
    clock.set('2026-12-06T10:00:00Z')
    const ticket = await open('Nobody noticed', john, {
      requester: { email: 'ken@example.com' },
      priority: 'emergency',
    })
    clock.set('2026-12-06T18:00:00Z') // far past every deadline, no sweep ran in between
    await runSlaSweep(t.app)
    // First response and resolution, straight to breached (their at-risk moments are long gone).
    expect(await fired(ticket.number)).toEqual(['sla.breached', 'sla.breached'])
  })

  it('runs the plan’s escalation once: raises the priority on breach', async () => {
    const billing = (await john.get('/api/v1/departments')).body.items.find(
      (d: { name: string }) => d.name === 'Billing',
    )
    const targets = (first: number) => ({
      firstResponseMinutes: first,
      nextResponseMinutes: null,
      resolutionMinutes: null,
      hours: '24x7',
    })
    const plan = await admin.post('/api/v1/admin/sla-plans', {
      name: 'Escalating',
      targets: { low: targets(60), normal: targets(60), high: targets(30), emergency: targets(15) },
      escalations: [{ on: 'breached', type: 'raise_priority' }],
    })
    expect(plan.status).toBe(201)
    // A PATCH changes only what it names: renaming keeps the escalations (omitted fields are not defaults).
    const renamed = await admin.patch(`/api/v1/admin/sla-plans/${plan.body.id}`, { name: 'Escalating' })
    expect(renamed.body.escalations).toEqual([{ on: 'breached', type: 'raise_priority' }])
    expect(
      (await admin.patch(`/api/v1/admin/departments/${billing.id}`, { slaPlanId: plan.body.id })).status,
    ).toBe(200)
    const sam = await anon.as('sam@example.com')
    clock.set('2026-12-07T09:00:00Z')
    const res = await sam.post('/api/v1/tickets', {
      subject: 'Invoice wrong',
      message: 'Twice charged.',
      departmentId: billing.id,
      requester: { email: 'ken@example.com' },
    })
    expect(res.body.ticket.sla.plan.name).toBe('Escalating')
    const number = res.body.ticket.number
    clock.set('2026-12-07T10:01:00Z')
    await runSlaSweep(t.app)
    await runSlaSweep(t.app)
    clock.set('2026-12-07T12:00:00Z')
    await runSlaSweep(t.app)
    const detail = (await sam.get(`/api/v1/tickets/${number}`)).body
    // Raised once, to High; High's shorter deadline is already past, but that breach was announced.
    expect(detail.ticket.priority).toBe('high')
    expect(detail.events.filter((e: { type: string }) => e.type === 'sla.breached')).toHaveLength(1)
    expect(detail.events.filter((e: { type: string }) => e.type === 'ticket.priority_changed')).toHaveLength(
      1,
    )
  })

  it('escalates by notifying a team at risk and reassigning on breach', async () => {
    const db = t.app.db.writer
    const agents = (await john.get('/api/v1/agents')).body.items as { id: number; email: string }[]
    const alex = agents.find((a) => a.email === 'alex@example.com')!.id
    const jane = agents.find((a) => a.email === 'jane@example.com')!.id
    const team = await db
      .insertInto('teams')
      .values({ name: 'Duty managers', created_at: clock.t })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('team_members').values({ team_id: team.id, agent_id: jane }).execute()
    const targets = {
      firstResponseMinutes: 60,
      nextResponseMinutes: null,
      resolutionMinutes: null,
      hours: '24x7',
    }
    const plan = await admin.post('/api/v1/admin/sla-plans', {
      name: 'Team escalation',
      targets: { low: targets, normal: targets, high: targets, emergency: targets },
      escalations: [
        { on: 'at_risk', type: 'notify_team', value: team.id },
        { on: 'breached', type: 'reassign', value: alex },
      ],
    })
    expect(plan.status).toBe(201)
    const topic = await admin.post('/api/v1/admin/topics', { name: 'Escalations', slaPlanId: plan.body.id })
    clock.set('2026-12-07T09:00:00Z')
    const ticket = await open('Escalate me', ken, { topicId: topic.body.id })
    expect(ticket.sla.plan.name).toBe('Team escalation')
    clock.set('2026-12-07T09:50:00Z')
    await runSlaSweep(t.app)
    const janeNotes = await t.app.db.read
      .selectFrom('notifications')
      .select('kind')
      .where('user_id', '=', jane)
      .where('text', 'like', '%Escalate me%')
      .execute()
    expect(janeNotes.map((n) => n.kind)).toEqual(['sla_at_risk'])
    clock.set('2026-12-07T10:01:00Z')
    await runSlaSweep(t.app)
    const after = await get(ticket.number)
    expect(after.ticket.assigneeAgentId).toBe(alex)
    expect(after.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['sla.at_risk', 'sla.escalated', 'sla.breached', 'ticket.assigned']),
    )
  })

  it('snoozes a pending ticket until a time, then returns it to open', async () => {
    clock.set('2026-12-08T09:00:00Z')
    const ticket = await open('Waiting for logs')
    const refused = await john.request('PUT', `/api/v1/tickets/${ticket.number}/snooze`, {
      version: ticket.version,
      until: '2026-12-08T12:00:00Z',
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('not_pending')
    const pending = await patch(ticket.number, { status: 'pending' })
    const snoozed = await john.request('PUT', `/api/v1/tickets/${ticket.number}/snooze`, {
      version: pending.version,
      until: '2026-12-08T12:00:00Z',
    })
    expect(snoozed.status).toBe(200)
    expect(snoozed.body.ticket.snoozedUntil).toBe('2026-12-08T12:00:00.000Z')
    clock.set('2026-12-08T11:59:00Z')
    await runSnoozeSweep(t.app)
    expect((await get(ticket.number)).ticket.status).toBe('pending')
    clock.set('2026-12-08T12:00:00Z')
    expect(await runSnoozeSweep(t.app)).toBeGreaterThanOrEqual(1)
    const woken = (await get(ticket.number)).ticket
    expect(woken).toMatchObject({ status: 'open', snoozedUntil: null, sla: { state: 'ok' } })
    // Three office hours passed while pending (09:00–12:00), so they were added back.
    expect(woken.sla.firstResponseDueAt).toBe('2026-12-08T16:00:00.000Z')
    expect(await eventTypes(ticket.number)).toContain('ticket.unsnoozed')
  })

  it('closes tickets resolved for 7 days (configurable)', async () => {
    clock.set('2026-12-10T09:00:00Z')
    const ticket = await open('Old question')
    await patch(ticket.number, { status: 'resolved' })
    clock.advance(7 * DAY - MIN)
    await runAutoCloseSweep(t.app)
    expect((await get(ticket.number)).ticket.status).toBe('resolved')
    clock.advance(MIN)
    expect(await runAutoCloseSweep(t.app)).toBeGreaterThanOrEqual(1)
    const closed = await get(ticket.number)
    expect(closed.ticket.status).toBe('closed')
    expect(closed.events.at(-1)).toMatchObject({
      type: 'ticket.status_changed',
      channel: 'system',
      after: { status: 'closed' },
    })

    const settings = await admin.request('PUT', '/api/v1/admin/sla-settings', { autoCloseDays: 2 })
    expect(settings.body).toMatchObject({ autoCloseDays: 2 })
    const second = await open('Another old one')
    await patch(second.number, { status: 'resolved' })
    clock.advance(2 * DAY)
    await runAutoCloseSweep(t.app)
    expect((await get(second.number)).ticket.status).toBe('closed')
    await admin.request('PUT', '/api/v1/admin/sla-settings', { autoCloseDays: 7 })
  })

  it('reads due tickets through the tickets_sla_alert index', async () => {
    const plan = await t.app.db.transact(async (trx) => {
      // Tiny tables make PostgreSQL prefer a scan; switch that off to see which index it would use.
      if (kind === 'postgres') await sql`set local enable_seqscan = off`.execute(trx)
      return explain(kind, trx, slaDueQuery(kind, trx, Date.now(), 500).compile())
    })
    expect(plan).toMatch(/tickets_sla_alert/)
  })

  it('validates schedules and plans', async () => {
    const bad = await admin.post('/api/v1/admin/schedules', {
      name: 'Broken',
      timeZone: 'Nowhere/Land',
      weekly: { mon: [{ start: '17:00', end: '09:00' }] },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_schedule')
    const ok = await admin.post('/api/v1/admin/schedules', {
      name: 'Sydney desk',
      timeZone: 'Australia/Sydney',
      weekly: { mon: [{ start: '09:00', end: '17:00' }] },
      holidays: ['2026-12-25'],
    })
    expect(ok.status).toBe(201)
    const noSchedule = await admin.post('/api/v1/admin/sla-plans', {
      name: 'Needs hours',
      targets: Object.fromEntries(
        ['low', 'normal', 'high', 'emergency'].map((p) => [
          p,
          { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 600, hours: 'business' },
        ]),
      ),
    })
    expect(noSchedule.status).toBe(400)
    expect(noSchedule.body.error.code).toBe('schedule_required')
  })
})
