// Macros on every database: who may keep personal and shared ones, what their actions may name, and applying
// one to a ticket (alone or in bulk) as one transaction through the ticket commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedEssentials } from '../src/seed/demo.ts'
import { DATABASES, scratchDatabaseUrl, startServer, type TestServer } from './support/testServer.ts'

const uniq = () => Math.random().toString(36).slice(2, 8)

describe.each(DATABASES)('macros on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let admin: Client
  let ken: Client
  let john: Client
  let jane: Client
  let sam: Client
  let dept: Record<string, number>
  let cannedId: number

  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    ;[admin, ken, john, jane, sam] = await Promise.all([
      anon.as('admin@example.com'),
      anon.as('ken@example.com'),
      anon.as('john@example.com'),
      anon.as('jane@example.com'),
      anon.as('sam@example.com'),
    ])
    const departments = await admin.get('/api/v1/admin/departments')
    dept = Object.fromEntries(departments.body.items.map((d: { id: number; name: string }) => [d.name, d.id]))
    const canned = await admin.post('/api/v1/admin/canned-responses', {
      title: 'Thanks',
      body: 'Hello {{requester.name}}, ticket #{{ticket.number}} is now {{ticket.status}}. {{agent.name}}',
      departmentId: null,
    })
    expect(canned.status, JSON.stringify(canned.body)).toBe(201)
    cannedId = canned.body.id
  })
  afterAll(() => t?.close())

  const open = async () => {
    const res = await ken.post('/api/v1/tickets', { subject: `Macro ${uniq()}`, message: 'Please help.' })
    expect(res.status).toBe(201)
    return res.body.ticket as { number: string; version: number; subject: string }
  }
  const create = (who: Client, body: object) => who.post('/api/v1/macros', body)
  const list = async (who: Client) => (await who.get('/api/v1/macros')).body
  const names = async (who: Client) => (await list(who)).items.map((m: { name: string }) => m.name)

  it('keeps personal macros to their owner and shared ones to those with macro.share', async () => {
    const personal = await create(john, {
      name: 'Johns pending',
      actions: [{ type: 'set_status', status: 'pending' }],
    })
    expect(personal.status, JSON.stringify(personal.body)).toBe(201)
    const macro = personal.body.macro
    expect(macro).toMatchObject({ name: 'Johns pending', shared: false, editable: true })
    expect(await names(john)).toContain('Johns pending')
    expect(await names(jane)).not.toContain('Johns pending')

    // Someone else's personal macro does not exist for them.
    const missing = await jane.patch('/api/v1/macros/999999', { name: 'x' })
    expect(missing.status).toBe(404)
    for (const res of [
      await jane.patch(`/api/v1/macros/${macro.id}`, { name: 'Mine now' }),
      await jane.request('DELETE', `/api/v1/macros/${macro.id}`),
      await admin.patch(`/api/v1/macros/${macro.id}`, { name: 'Mine now' }),
    ])
      expect(res).toMatchObject({ status: 404, body: missing.body })

    // John (Expanded Access) may not share; Jane (All Access) and the admin may.
    expect((await list(john)).canShare).toBe(false)
    expect((await list(jane)).canShare).toBe(true)
    const refused = await create(john, {
      name: 'Shared by John',
      shared: true,
      actions: [{ type: 'set_priority', priority: 'low' }],
    })
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden'])
    expect((await john.patch(`/api/v1/macros/${macro.id}`, { shared: true })).status).toBe(403)
    const shared = await create(jane, {
      name: 'Escalate',
      shared: true,
      actions: [{ type: 'set_priority', priority: 'emergency' }],
    })
    expect(shared.status).toBe(201)
    const johnsView = (await list(john)).items.find((m: { id: number }) => m.id === shared.body.macro.id)
    expect(johnsView).toMatchObject({ shared: true, editable: false })
    expect((await john.patch(`/api/v1/macros/${shared.body.macro.id}`, { name: 'Mine' })).status).toBe(403)
    expect((await john.request('DELETE', `/api/v1/macros/${shared.body.macro.id}`)).status).toBe(403)
    const renamed = await admin.patch(`/api/v1/macros/${shared.body.macro.id}`, { name: 'Escalate now' })
    expect(renamed.body.macro).toMatchObject({ name: 'Escalate now', editable: true })

    const edited = await john.patch(`/api/v1/macros/${macro.id}`, {
      actions: [{ type: 'add_tags', tags: ['Waiting On Customer'] }],
    })
    expect(edited.body.macro.actions).toEqual([{ type: 'add_tags', tags: ['waiting-on-customer'] }])
    expect((await john.request('DELETE', `/api/v1/macros/${macro.id}`)).status).toBe(204)
    expect(await names(john)).not.toContain('Johns pending')
    const types = await t.app.db.read
      .selectFrom('events')
      .select(['type', 'channel'])
      .where('type', 'like', 'macro.%')
      .orderBy('id')
      .execute()
    expect(types.map((e) => e.type)).toEqual(
      expect.arrayContaining(['macro.created', 'macro.updated', 'macro.deleted']),
    )
    // Customers have no macros.
    expect((await ken.get('/api/v1/macros')).body.error.code).toBe('agents_only')
  })

  it('refuses actions that name what does not exist or is disabled, with stable codes', async () => {
    const team = await admin.post('/api/v1/admin/teams', { name: `Team ${uniq()}` })
    await admin.patch(`/api/v1/admin/teams/${team.body.team.id}`, { isActive: false })
    const closedDept = await admin.post('/api/v1/admin/departments', { name: `Old ${uniq()}` })
    await admin.patch(`/api/v1/admin/departments/${closedDept.body.department.id}`, { isActive: false })
    const cases: [unknown[], string][] = [
      [[{ type: 'set_status', status: 'nope' }], 'unknown_status'],
      [[{ type: 'set_department', departmentId: closedDept.body.department.id }], 'unknown_department'],
      [[{ type: 'set_assignee', agentId: 999999 }], 'unknown_agent'],
      [[{ type: 'set_team', teamId: team.body.team.id }], 'unknown_team'],
      [[{ type: 'send_reply', cannedResponseId: 999999 }], 'unknown_canned_response'],
      [[], 'validation_failed'],
      [[{ type: 'explode' }], 'validation_failed'],
      [
        [
          { type: 'set_priority', priority: 'low' },
          { type: 'set_priority', priority: 'high' },
        ],
        'validation_failed',
      ],
      [
        [
          { type: 'add_tags', tags: ['a'] },
          { type: 'remove_tags', tags: ['A'] },
        ],
        'validation_failed',
      ],
      [[{ type: 'add_note', body: '   ' }], 'validation_failed'],
    ]
    for (const [actions, code] of cases) {
      const res = await create(john, { name: 'Bad', actions })
      expect([res.status, res.body.error?.code], JSON.stringify(actions)).toEqual([400, code])
    }
    expect(await names(john)).not.toContain('Bad')
  })

  it('applies a macro in one transaction: fields, tags, a note and a reply with its variables', async () => {
    const ticket = await open()
    const made = await create(john, {
      name: `Reply and wait ${uniq()}`,
      actions: [
        { type: 'send_reply', cannedResponseId: cannedId },
        { type: 'set_status', status: 'pending' },
        { type: 'set_assignee', agentId: 'me' },
        { type: 'add_tags', tags: ['Waiting'] },
        { type: 'add_note', body: 'Asked {{requester.name}} for logs.' },
      ],
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const path = `/api/v1/tickets/${ticket.number}/macros/${made.body.macro.id}`
    const stale = await john.post(path, { version: 99 })
    expect([stale.status, stale.body.error.code]).toEqual([409, 'version_conflict'])

    const res = await john.post(path, { version: ticket.version })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.ticket).toMatchObject({ status: 'pending', assigneeAgent: { name: 'John Doe' } })
    const detail = await john.get(`/api/v1/tickets/${ticket.number}`)
    expect(detail.body.tags).toEqual(['waiting'])
    const [note, reply] = detail.body.thread.slice(-2)
    expect(note).toMatchObject({ kind: 'note', body: 'Asked Ken Adams for logs.' })
    expect(reply).toMatchObject({
      kind: 'response',
      body: `Hello Ken Adams, ticket #${ticket.number} is now Pending. John Doe`,
    })
    const events = detail.body.events.map((e: { type: string; channel: string }) => e.type)
    expect(events).toEqual(
      expect.arrayContaining([
        'ticket.status_changed',
        'ticket.assigned',
        'ticket.tagged',
        'note.added',
        'response.added',
        'ticket.macro_applied',
      ]),
    )
    const applied = detail.body.events.find((e: { type: string }) => e.type === 'ticket.macro_applied')
    expect(applied).toMatchObject({ channel: 'api', after: { macroId: made.body.macro.id } })
    // The customer sees the reply, never the note.
    const kens = await ken.get(`/api/v1/tickets/${ticket.number}`)
    expect(kens.body.thread.map((e: { kind: string }) => e.kind)).not.toContain('note')
    expect(kens.body.thread.at(-1).body).toContain('is now Pending')
  })

  it('rolls the whole macro back when one action is refused, and hides tickets and macros alike', async () => {
    // Limited access in Support: may reply, may not edit (so no status change).
    const email = `lim-${uniq()}@example.com`
    await admin.post('/api/v1/admin/agents', {
      name: 'Lim',
      email,
      password: 'agent-password',
      memberships: [{ departmentId: dept.Support, role: 'limited_access' }],
    })
    const lim = await anon.as(email, 'agent-password')
    const made = await create(lim, {
      name: 'Note and close',
      actions: [
        { type: 'add_note', body: 'Closing.' },
        { type: 'set_status', status: 'closed' },
      ],
    })
    const ticket = await open()
    const res = await lim.post(`/api/v1/tickets/${ticket.number}/macros/${made.body.macro.id}`, {})
    expect([res.status, res.body.error.code]).toEqual([403, 'forbidden'])
    const detail = await lim.get(`/api/v1/tickets/${ticket.number}`)
    expect(detail.body.ticket.status).toBe('open')
    expect(detail.body.thread.map((e: { kind: string }) => e.kind)).toEqual(['message'])

    // A Billing ticket is "not found" for John, exactly like a missing one; so is Lim's personal macro.
    const billing = await sam.post('/api/v1/tickets', {
      subject: 'Invoice',
      message: 'Wrong amount.',
      departmentId: dept.Billing,
      requester: { email: 'lena@example.com' },
    })
    const shared = (await list(john)).items.find((m: { name: string }) => m.name === 'Close and tag as spam')
    const missing = await john.post(`/api/v1/tickets/999999999/macros/${shared.id}`, {})
    expect(missing.status).toBe(404)
    const hidden = await john.post(`/api/v1/tickets/${billing.body.ticket.number}/macros/${shared.id}`, {})
    expect(hidden).toMatchObject({ status: 404, body: missing.body })
    const othersMacro = await john.post(`/api/v1/tickets/${ticket.number}/macros/${made.body.macro.id}`, {})
    const noMacro = await john.post(`/api/v1/tickets/${ticket.number}/macros/999999`, {})
    expect(othersMacro).toMatchObject({ status: 404, body: noMacro.body })
  })

  it('applies the demo macro "Close and tag as spam" in bulk, with the request’s own note', async () => {
    const a = await open()
    const b = await open()
    const shared = (await list(john)).items.find((m: { name: string }) => m.name === 'Close and tag as spam')
    expect(shared).toMatchObject({ shared: true, editable: false })
    const res = await john.post('/api/v1/tickets/bulk', {
      numbers: [a.number, b.number, '999999999'],
      macroId: shared.id,
      changes: { addTags: ['reported'] },
    })
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'updated',
      'updated',
      'not_found',
    ])
    for (const ticket of [a, b]) {
      const detail = await john.get(`/api/v1/tickets/${ticket.number}`)
      expect(detail.body.ticket.status).toBe('closed')
      expect(detail.body.tags).toEqual(['reported', 'spam'])
      expect(detail.body.thread.at(-1)).toMatchObject({ kind: 'note', body: 'Closed as spam by John Doe.' })
    }
    // Applied again: already closed and tagged, but the macro's note is written again, so "updated".
    const again = await john.post('/api/v1/tickets/bulk', { numbers: [a.number], macroId: shared.id })
    expect(again.body.results[0].outcome).toBe('updated')
  })
})

describe.each(DATABASES)('migration 0012 on %s', (kind) => {
  it('gives the All Access role of an existing install macro.share, and nobody else', async () => {
    const scratch = await scratchDatabaseUrl(kind)
    const db = openDatabase(scratch.url)
    try {
      await migrateToLatest(db)
      await seedEssentials(db.writer, Date.now())
      // An install from before 0012: its roles were stored without macro.share.
      const roles = await db.writer.selectFrom('roles').select(['key', 'permissions']).execute()
      for (const role of roles) {
        const without = (JSON.parse(role.permissions) as string[]).filter((p) => p !== 'macro.share')
        await db.writer
          .updateTable('roles')
          .set({ permissions: JSON.stringify(without) })
          .where('key', '=', role.key)
          .execute()
      }
      await db.writer.schema.dropTable('macros').execute()
      await sql`delete from kysely_migration where name = '0012_macros'`.execute(db.writer)
      expect(await migrateToLatest(db)).toEqual(['0012_macros'])
      const after = await db.writer.selectFrom('roles').select(['key', 'permissions']).execute()
      const sharing = after.filter((r) => (JSON.parse(r.permissions) as string[]).includes('macro.share'))
      expect(sharing.map((r) => r.key)).toEqual(['all_access'])
    } finally {
      await db.close()
      await scratch.drop()
    }
  })
})
