// Help topics, custom fields (typed values in a JSON column, visibility, required-on-create and
// required-to-close) and canned responses with variables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderTemplate } from '../src/domain/cannedTemplate.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe('renderTemplate', () => {
  it('fills known variables and leaves unknown ones as written', () => {
    expect(
      renderTemplate('Hi {{ requester.name }}, #{{ticket.number}} {{ticket.nope}}', {
        'requester.name': 'Ken',
        'ticket.number': '100001',
      }),
    ).toBe('Hi Ken, #100001 {{ticket.nope}}')
  })
})

describe.each(DATABASES)('topics, custom fields and canned responses on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let admin: Client
  let ken: Client
  let john: Client
  let sam: Client
  let departments: Record<string, number>

  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    sam = await anon.as('sam@example.com')
    const ds = (await john.get('/api/v1/departments')).body.items as { id: number; name: string }[]
    departments = Object.fromEntries(ds.map((d) => [d.name, d.id]))
  })
  afterAll(() => t.close())

  it('routes a portal ticket by its topic and keeps typed field values with visibility rules', async () => {
    const fields = [
      { key: 'invoice_number', label: 'Invoice number', type: 'text', requiredOnCreate: true },
      { key: 'amount', label: 'Amount', type: 'number' },
      { key: 'risk', label: 'Fraud risk', type: 'select', options: ['low', 'high'], clientVisible: false },
      {
        key: 'refund_issued',
        label: 'Refund issued',
        type: 'checkbox',
        clientVisible: false,
        requiredToClose: true,
      },
    ]
    for (const f of fields) expect((await admin.post('/api/v1/admin/custom-fields', f)).status).toBe(201)
    const dup = await admin.post('/api/v1/admin/custom-fields', {
      key: 'amount',
      label: 'Again',
      type: 'number',
    })
    expect(dup.status).toBe(409)
    const plans = await admin.get('/api/v1/admin/sla-plans')
    const topic = await admin.post('/api/v1/admin/topics', {
      name: 'Billing question',
      departmentId: departments.Billing,
      priority: 'high',
      slaPlanId: plans.body.items[0].id,
      fields: ['invoice_number', 'amount', 'risk', 'refund_issued'],
    })
    expect(topic.status).toBe(201)
    const internal = await admin.post('/api/v1/admin/topics', { name: 'Internal audit', isPublic: false })
    expect(internal.status).toBe(201)

    const portal = await anon.get('/api/v1/topics')
    expect(portal.body.items.map((x: { name: string }) => x.name)).toEqual(['Billing question'])
    const agentView = await john.get('/api/v1/topics')
    expect(agentView.body.items.map((x: { name: string }) => x.name).sort()).toEqual([
      'Billing question',
      'Internal audit',
    ])
    const customerFields = await ken.get('/api/v1/custom-fields')
    expect(customerFields.body.items.map((f: { key: string }) => f.key)).toEqual(['invoice_number', 'amount'])

    // Required on create, typed, and customers cannot set agent-only fields or use internal topics.
    const missing = await ken.post('/api/v1/tickets', {
      subject: 'Charged twice',
      message: 'x',
      topicId: topic.body.id,
    })
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatchObject({ code: 'invalid_fields', message: 'required: invoice_number' })
    const wrongType = await ken.post('/api/v1/tickets', {
      subject: 'Charged twice',
      message: 'x',
      topicId: topic.body.id,
      fields: { invoice_number: 'INV-7', amount: 'lots' },
    })
    expect(wrongType.status).toBe(400)
    const agentOnly = await ken.post('/api/v1/tickets', {
      subject: 'Charged twice',
      message: 'x',
      topicId: topic.body.id,
      fields: { invoice_number: 'INV-7', risk: 'low' },
    })
    expect(agentOnly.status).toBe(400)
    const hidden = await ken.post('/api/v1/tickets', {
      subject: 'x',
      message: 'x',
      topicId: internal.body.id,
    })
    expect(hidden.status).toBe(400)
    expect(hidden.body.error.code).toBe('unknown_topic')

    const created = await ken.post('/api/v1/tickets', {
      subject: 'Charged twice',
      message: 'Two charges on my card',
      topicId: topic.body.id,
      fields: { invoice_number: 'INV-7', amount: 49.5 },
    })
    expect(created.status).toBe(201)
    expect(created.body.ticket).toMatchObject({
      department: { name: 'Billing' },
      priority: 'high',
      topic: { id: topic.body.id, name: 'Billing question' },
      customFields: { invoice_number: 'INV-7', amount: 49.5 },
    })
    const number = created.body.ticket.number

    // Sam sets the agent-only fields; Ken never sees them.
    const v = created.body.ticket.version
    const set = await sam.patch(`/api/v1/tickets/${number}/fields`, { version: v, fields: { risk: 'high' } })
    expect(set.status).toBe(200)
    expect(set.body.ticket.customFields).toMatchObject({ invoice_number: 'INV-7', risk: 'high' })
    const kenView = await ken.get(`/api/v1/tickets/${number}`)
    expect(kenView.body.ticket.customFields).toEqual({ invoice_number: 'INV-7', amount: 49.5 })
    expect(JSON.stringify((await ken.get('/api/v1/tickets')).body)).not.toContain('"risk"')

    // Required to close.
    const early = await sam.patch(`/api/v1/tickets/${number}`, {
      version: set.body.ticket.version,
      status: 'resolved',
    })
    expect(early.status).toBe(400)
    expect(early.body.error.code).toBe('fields_required_to_close')
    const done = await sam.patch(`/api/v1/tickets/${number}/fields`, {
      version: set.body.ticket.version,
      fields: { refund_issued: true },
    })
    const resolved = await sam.patch(`/api/v1/tickets/${number}`, {
      version: done.body.ticket.version,
      status: 'resolved',
    })
    expect(resolved.status).toBe(200)

    // A disabled field is not asked for, not required and not shown; its stored values come back with it.
    const all = (await admin.get('/api/v1/admin/custom-fields')).body.items as { id: number; key: string }[]
    const invoiceField = all.find((f) => f.key === 'invoice_number')!
    const off = await admin.patch(`/api/v1/admin/custom-fields/${invoiceField.id}`, { isActive: false })
    expect(off.body).toMatchObject({ key: 'invoice_number', isActive: false })
    expect((await ken.get('/api/v1/custom-fields')).body.items.map((f: { key: string }) => f.key)).toEqual([
      'amount',
    ])
    const withoutIt = await ken.post('/api/v1/tickets', {
      subject: 'Charged three times',
      message: 'x',
      topicId: topic.body.id,
    })
    expect(withoutIt.status).toBe(201)
    expect((await ken.get(`/api/v1/tickets/${number}`)).body.ticket.customFields).toEqual({ amount: 49.5 })
    const stillOnForm = await admin.patch(`/api/v1/admin/topics/${topic.body.id}`, {
      name: 'Billing questions',
    })
    expect(stillOnForm.body.fields).toContain('invoice_number')
    await admin.patch(`/api/v1/admin/custom-fields/${invoiceField.id}`, { isActive: true })
    expect((await ken.get(`/api/v1/tickets/${number}`)).body.ticket.customFields).toEqual({
      invoice_number: 'INV-7',
      amount: 49.5,
    })
  })

  it('offers canned responses per department with variables filled in', async () => {
    const global = await admin.post('/api/v1/admin/canned-responses', {
      title: 'Thanks',
      body: 'Hi {{requester.name}}, thanks for ticket #{{ticket.number}} ({{ticket.subject}}). — {{agent.name}}',
    })
    expect(global.status).toBe(201)
    const billingOnly = await admin.post('/api/v1/admin/canned-responses', {
      title: 'Refund policy',
      body: 'Refunds take 5 days.',
      departmentId: departments.Billing,
    })
    expect(billingOnly.status).toBe(201)
    const all = await admin.get('/api/v1/admin/canned-responses')
    expect(all.body.items.map((c: { title: string }) => c.title)).toEqual(['Refund policy', 'Thanks'])
    const forJohn = await john.get('/api/v1/canned-responses')
    expect(forJohn.body.items.map((c: { title: string }) => c.title)).toEqual(['Thanks'])
    const forSam = await sam.get('/api/v1/canned-responses')
    expect(forSam.body.items.map((c: { title: string }) => c.title)).toEqual(['Refund policy', 'Thanks'])
    expect((await ken.get('/api/v1/canned-responses')).status).toBe(403)

    const ticket = (await ken.post('/api/v1/tickets', { subject: 'Password help', message: 'x' })).body.ticket
    const rendered = await john.get(`/api/v1/tickets/${ticket.number}/canned-responses/${global.body.id}`)
    expect(rendered.body.body).toBe(
      `Hi Ken Adams, thanks for ticket #${ticket.number} (Password help). — John Doe`,
    )
    // John has no role in Billing: its canned response is as missing as an unknown one.
    const denied = await john.get(`/api/v1/tickets/${ticket.number}/canned-responses/${billingOnly.body.id}`)
    expect(denied.status).toBe(404)
  })
})
