// Rule actions that name a person accept only active agents (issue 9, finding 11): a rule could make a customer
// the assignee or a follower of every matching ticket, which puts strangers' tickets in a customer's view of
// the agent panel. Saving refuses a customer or a disabled agent with 400 naming the action; an agent disabled
// after the rule was saved is skipped at run time, with an event, never assigned. The same holds for the
// `reassign` escalation of SLA plans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('rules that name a person on %s', (kind) => {
  let t: TestServer
  let admin: Client
  let ken: Client
  let john: Client
  let kenId: number
  let supportId: number
  let seq = 0

  beforeAll(async () => {
    t = await startServer(kind)
    const anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    kenId = (
      await t.app.db.read
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ken@example.com')
        .executeTakeFirstOrThrow()
    ).id
    const ds = (await john.get('/api/v1/departments')).body.items as { id: number; name: string }[]
    supportId = ds.find((d) => d.name === 'Support')!.id
  })
  afterAll(() => t.close())

  async function makeAgent(): Promise<number> {
    const res = await admin.post('/api/v1/admin/agents', {
      name: `Rule Agent ${++seq}`,
      email: `rule-agent-${seq}-${kind}@example.com`,
      password: 'agent-password',
      memberships: [{ departmentId: supportId, role: 'expanded_access' }],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.agent.id
  }
  const disable = async (agentId: number) =>
    expect((await admin.patch(`/api/v1/admin/agents/${agentId}`, { isActive: false })).status).toBe(200)
  const rule = (type: string, value: number, extra: Record<string, unknown> = {}) => ({
    name: `Names ${type} ${value} ${++seq}`,
    event: 'ticket.created',
    conditions: [{ field: 'subject', op: 'contains', value: `case-${value}` }],
    actions: [{ type, value }],
    ...extra,
  })

  it('refuses a customer as assignee or follower, naming the action', async () => {
    for (const type of ['set_assignee', 'add_follower']) {
      const res = await admin.post('/api/v1/admin/rules', rule(type, kenId))
      expect(res.status, type).toBe(400)
      expect(res.body.error.code).toBe('invalid_rule')
      expect(res.body.error.message).toContain(`Action ${type}`)
      expect(res.body.error.message).toMatch(/is a customer/)
    }
    const nobody = await admin.post('/api/v1/admin/rules', rule('set_assignee', 987_654))
    expect(nobody.status).toBe(400)
    expect(nobody.body.error.code).toBe('invalid_rule')
  })

  it('refuses a disabled agent, except in a rule that is switched off', async () => {
    const dora = await makeAgent()
    await disable(dora)
    for (const type of ['set_assignee', 'add_follower']) {
      const res = await admin.post('/api/v1/admin/rules', rule(type, dora))
      expect(res.status, type).toBe(400)
      expect(res.body.error.code).toBe('invalid_rule')
      expect(res.body.error.message).toMatch(new RegExp(`Action ${type}: .*agent ${dora} is disabled`))
    }
    // An admin can still switch such a rule off (or save it switched off) to mend it later.
    expect(
      (await admin.post('/api/v1/admin/rules', rule('set_assignee', dora, { isActive: false }))).status,
    ).toBe(201)
  })

  it('refuses a customer or a disabled agent as the target of a reassign escalation', async () => {
    const dora = await makeAgent()
    await disable(dora)
    const targets = {
      firstResponseMinutes: 60,
      nextResponseMinutes: null,
      resolutionMinutes: null,
      hours: '24x7',
    }
    for (const value of [kenId, dora]) {
      const res = await admin.post('/api/v1/admin/sla-plans', {
        name: `Reassign to ${value}`,
        targets: { low: targets, normal: targets, high: targets, emergency: targets },
        escalations: [{ on: 'breached', type: 'reassign', value }],
      })
      expect(res.status, String(value)).toBe(400)
      expect(res.body.error.code).toBe('invalid_escalation')
      expect(res.body.error.message).toMatch(/^reassign: value must be an (active )?agent/)
    }
  })

  it('skips an agent disabled after the rule was saved, with an event, and never assigns them', async () => {
    const rita = await makeAgent()
    const saved = await admin.post('/api/v1/admin/rules', {
      name: 'Rita takes her cases',
      event: 'ticket.created',
      conditions: [{ field: 'subject', op: 'contains', value: `case-${rita}` }],
      actions: [
        { type: 'set_assignee', value: rita },
        { type: 'add_follower', value: rita },
      ],
    })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    const open = async () => {
      const created = await ken.post('/api/v1/tickets', {
        subject: `Printer case-${rita}`,
        message: 'Jammed',
      })
      expect(created.status).toBe(201)
      return (await john.get(`/api/v1/tickets/${created.body.ticket.number}`)).body
    }

    const before = await open()
    expect(before.ticket.assigneeAgent?.id).toBe(rita)
    expect(before.followers.map((f: { id: number }) => f.id)).toContain(rita)

    await disable(rita)
    const after = await open()
    expect(after.ticket.assigneeAgent?.id ?? null).not.toBe(rita)
    expect(after.followers.map((f: { id: number }) => f.id)).not.toContain(rita)
    const skipped = after.events.filter((e: { type: string }) => e.type === 'rule.action_skipped')
    expect(skipped.map((e: { after: unknown }) => e.after)).toEqual([
      { ruleId: saved.body.id, action: 'set_assignee', agentId: rita, reason: 'agent_disabled' },
      { ruleId: saved.body.id, action: 'add_follower', agentId: rita, reason: 'agent_disabled' },
    ])
    const fired = after.events.find((e: { type: string }) => e.type === 'rule.fired')
    expect(fired.after).toMatchObject({ ruleId: saved.body.id, actions: [] })
  })
})
