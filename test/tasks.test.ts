// Tasks on tickets (issue 12), on every database: agents only; open tasks block resolving and closing (409
// open_tasks with the list) unless forced by an agent with ticket.close, which is recorded; assignees are told
// and find their tasks in My tasks, which never lists a task on a ticket they may not see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('ticket tasks on %s', (kind) => {
  let t: TestServer
  let john: Client
  let alex: Client
  let sam: Client
  let ken: Client
  let alexId: number
  let samId: number
  let seq = 0
  const uniq = (s: string) => `${s} ${kind} ${++seq}`

  beforeAll(async () => {
    t = await startServer(kind)
    const anon = new Client(t.url)
    john = await anon.as('john@example.com')
    alex = await anon.as('alex@example.com')
    sam = await anon.as('sam@example.com')
    ken = await anon.as('ken@example.com')
    const users = await t.app.db.read.selectFrom('users').select(['id', 'email']).execute()
    alexId = users.find((u) => u.email === 'alex@example.com')!.id
    samId = users.find((u) => u.email === 'sam@example.com')!.id
  })
  afterAll(() => t.close())

  const open = async (subject: string) => {
    const res = await ken.post('/api/v1/tickets', { subject, message: 'A new starter on Monday.' })
    expect(res.status).toBe(201)
    return res.body.ticket.number as string
  }
  const setStatus = async (number: string, status: string, extra: object = {}) => {
    const version = (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version
    return john.patch(`/api/v1/tickets/${number}`, { version, status, ...extra })
  }

  it('blocks resolving and closing while tasks are open, lists them, and lets a forced close be recorded', async () => {
    const number = await open(uniq('Onboarding Bo'))
    const laptop = await john.post(`/api/v1/tickets/${number}/tasks`, {
      title: 'Laptop',
      assigneeAgentId: alexId,
    })
    expect(laptop.status, JSON.stringify(laptop.body)).toBe(201)
    expect(laptop.body.task).toMatchObject({
      title: 'Laptop',
      assigneeAgent: { id: alexId },
      completedAt: null,
    })
    const badge = await john.post(`/api/v1/tickets/${number}/tasks`, {
      title: 'Badge',
      dueAt: '2030-01-01T09:00:00Z',
    })
    expect(badge.body.task.dueAt).toBe('2030-01-01T09:00:00.000Z')

    const refused = await setStatus(number, 'resolved')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('open_tasks')
    expect(refused.body.tasks.map((x: { title: string }) => x.title)).toEqual(['Laptop', 'Badge'])
    expect((await setStatus(number, 'closed')).body.error.code).toBe('open_tasks')

    // Alex completes his own task; its notes thread records how.
    const noted = await alex.post(`/api/v1/tickets/${number}/tasks/${laptop.body.task.id}/notes`, {
      body: 'Imaged and labelled.',
    })
    expect(noted.status).toBe(201)
    expect(noted.body.task.notes).toEqual([expect.objectContaining({ body: 'Imaged and labelled.' })])
    const done = await alex.patch(`/api/v1/tickets/${number}/tasks/${laptop.body.task.id}`, {
      completed: true,
    })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body.task.completedBy.id).toBe(alexId)
    const still = await setStatus(number, 'resolved')
    expect(still.body.tasks.map((x: { title: string }) => x.title)).toEqual(['Badge'])

    const forced = await setStatus(number, 'resolved', { force: true })
    expect(forced.status, JSON.stringify(forced.body)).toBe(200)
    const events = (await john.get(`/api/v1/tickets/${number}`)).body.events
    expect(events.find((e: { type: string }) => e.type === 'tasks.close_forced').after).toEqual({
      taskIds: [badge.body.task.id],
    })
  })

  it('resolves once every task is complete', async () => {
    const number = await open(uniq('Onboarding Cy'))
    const a = await john.post(`/api/v1/tickets/${number}/tasks`, { title: 'Account' })
    expect((await setStatus(number, 'resolved')).status).toBe(409)
    expect(
      (await john.patch(`/api/v1/tickets/${number}/tasks/${a.body.task.id}`, { completed: true })).status,
    ).toBe(200)
    expect((await setStatus(number, 'resolved')).status).toBe(200)
    // Reopening a task does not reopen the ticket; it blocks the next close.
    expect(
      (await john.patch(`/api/v1/tickets/${number}/tasks/${a.body.task.id}`, { completed: false })).status,
    ).toBe(200)
    expect((await setStatus(number, 'closed')).body.error.code).toBe('open_tasks')
  })

  it('tells the assignee, lists the task in My tasks, and shows customers nothing', async () => {
    const number = await open(uniq('Onboarding Di'))
    const task = await john.post(`/api/v1/tickets/${number}/tasks`, {
      title: 'Desk phone',
      assigneeAgentId: alexId,
    })
    await t.settle()
    const notes = await alex.get('/api/v1/notifications')
    expect(JSON.stringify(notes.body)).toContain(`gave you a task on #${number}: Desk phone`)
    const mine = await alex.get('/api/v1/tasks')
    expect(mine.status).toBe(200)
    expect(mine.body.items).toContainEqual(
      expect.objectContaining({ id: task.body.task.id, ticket: expect.objectContaining({ number }) }),
    )
    expect((await john.get('/api/v1/tasks')).body.items.map((x: { id: number }) => x.id)).not.toContain(
      task.body.task.id,
    )
    // Sam (Billing) cannot open the Support ticket: no task for him, and the ticket's tasks answer 404.
    const refused = await john.post(`/api/v1/tickets/${number}/tasks`, {
      title: 'For Sam',
      assigneeAgentId: samId,
    })
    expect(refused.body.error.code).toBe('task_assignee_cannot_see')
    expect((await sam.get(`/api/v1/tickets/${number}/tasks`)).status).toBe(404)
    // A task left on a ticket that moves out of Alex's sight leaves his queue with it.
    const moved = await john.patch(`/api/v1/tickets/${number}`, {
      version: (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version,
      departmentId: (
        await t.app.db.read
          .selectFrom('departments')
          .select('id')
          .where('name', '=', 'Billing')
          .executeTakeFirstOrThrow()
      ).id,
    })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect((await alex.get('/api/v1/tasks')).body.items.map((x: { id: number }) => x.id)).not.toContain(
      task.body.task.id,
    )
    // Customers: the routes are agents only, and the ticket view carries no task.
    const other = await open(uniq('Onboarding Ed'))
    await john.post(`/api/v1/tickets/${other}/tasks`, { title: 'Secret task title' })
    expect((await ken.get(`/api/v1/tickets/${other}/tasks`)).status).toBe(403)
    expect((await ken.get('/api/v1/tasks')).status).toBe(403)
    expect(JSON.stringify((await ken.get(`/api/v1/tickets/${other}`)).body)).not.toContain(
      'Secret task title',
    )
  })

  it('keeps a rule from resolving a ticket past its open tasks', async () => {
    const admin = await new Client(t.url).as('admin@example.com')
    const rule = await admin.post('/api/v1/admin/rules', {
      name: `Thanks resolves ${kind}`,
      event: 'message.received',
      conditions: [{ field: 'body', op: 'contains', value: 'thanksresolve' }],
      match: 'all',
      actions: [{ type: 'set_status', value: 'resolved' }],
    })
    expect(rule.status, JSON.stringify(rule.body)).toBe(201)
    const number = await open(uniq('Onboarding Gi'))
    await john.post(`/api/v1/tickets/${number}/tasks`, { title: 'Still to do' })
    await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'thanksresolve, all good' })
    const after = (await john.get(`/api/v1/tickets/${number}`)).body
    expect(after.ticket.statusCategory).toBe('open')
    expect(after.events.find((e: { type: string }) => e.type === 'rule.action_skipped').after).toMatchObject({
      action: 'set_status',
      reason: 'open_tasks',
    })
    const other = await open(uniq('Onboarding Ha'))
    await ken.post(`/api/v1/tickets/${other}/messages`, { body: 'thanksresolve, all good' })
    expect((await john.get(`/api/v1/tickets/${other}`)).body.ticket.statusCategory).toBe('resolved')
    expect((await admin.request('DELETE', `/api/v1/admin/rules/${rule.body.id}`)).status).toBe(204)
  })

  it('refuses bad input with a code a person can act on', async () => {
    const number = await open(uniq('Onboarding Fa'))
    expect((await john.post(`/api/v1/tickets/${number}/tasks`, { title: '' })).status).toBe(400)
    expect(
      (await john.post(`/api/v1/tickets/${number}/tasks`, { title: 'x', dueAt: 'tomorrow' })).status,
    ).toBe(400)
    expect((await john.patch(`/api/v1/tickets/${number}/tasks/999999`, { completed: true })).status).toBe(404)
  })
})
