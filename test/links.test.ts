// Links between tickets and splitting a ticket (issue 12), on every database: a link shows on both tickets as
// it reads from each, and a linked ticket the viewer may not open shows neither its number nor its subject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeBuffer } from '../src/repositories/attachmentStore.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('ticket links and split on %s', (kind) => {
  let t: TestServer
  let john: Client
  let sam: Client
  let ken: Client
  let seq = 0
  const uniq = (s: string) => `${s} ${kind} ${++seq}`

  beforeAll(async () => {
    t = await startServer(kind)
    const anon = new Client(t.url)
    john = await anon.as('john@example.com')
    sam = await anon.as('sam@example.com')
    ken = await anon.as('ken@example.com')
  })
  afterAll(() => t.close())

  const open = async (subject: string, message = 'Hello.') => {
    const res = await ken.post('/api/v1/tickets', { subject, message })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.ticket.number as string
  }
  const links = async (who: Client, number: string) => (await who.get(`/api/v1/tickets/${number}/links`)).body

  it('shows a link on both tickets, each from its side, with events, and removes it', async () => {
    const parent = await open(uniq('Onboarding Ann'))
    const child = await open(uniq('Laptop for Ann'))
    const added = await john.post(`/api/v1/tickets/${child}/links`, { number: parent, kind: 'parent' })
    expect(added.status, JSON.stringify(added.body)).toBe(204)
    expect((await links(john, child)).items).toEqual([
      expect.objectContaining({ visible: true, number: parent, kind: 'parent' }),
    ])
    expect((await links(john, parent)).items).toEqual([
      expect.objectContaining({ visible: true, number: child, kind: 'child' }),
    ])
    const again = await john.post(`/api/v1/tickets/${parent}/links`, { number: child, kind: 'related' })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('already_linked')
    expect(
      (await john.post(`/api/v1/tickets/${child}/links`, { number: child, kind: 'related' })).body.error.code,
    ).toBe('link_to_self')
    const events = (await john.get(`/api/v1/tickets/${parent}`)).body.events
    expect(events.find((e: { type: string }) => e.type === 'link.added').after).toEqual({
      number: child,
      kind: 'child',
    })

    const dup = await open(uniq('Laptop for Ann again'))
    expect(
      (await john.post(`/api/v1/tickets/${child}/links`, { number: dup, kind: 'duplicate' })).status,
    ).toBe(204)
    expect((await links(john, dup)).items).toEqual([
      expect.objectContaining({ number: child, kind: 'original' }),
    ])

    const removed = await john.request('DELETE', `/api/v1/tickets/${parent}/links`, { number: child })
    expect(removed.status).toBe(204)
    expect((await links(john, child)).items.map((l: { number: string }) => l.number)).toEqual([dup])
    expect((await john.request('DELETE', `/api/v1/tickets/${parent}/links`, { number: child })).status).toBe(
      404,
    )
  })

  it('never shows the subject or number of a linked ticket the viewer may not open', async () => {
    const support = await open(uniq('Support secret subject'))
    const billing = await sam.post('/api/v1/tickets', {
      subject: uniq('Billing secret subject'),
      message: 'Invoice.',
      requester: { email: 'ken@example.com' },
      departmentId: (
        await t.app.db.read
          .selectFrom('departments')
          .select('id')
          .where('name', '=', 'Billing')
          .executeTakeFirstOrThrow()
      ).id,
    })
    expect(billing.status, JSON.stringify(billing.body)).toBe(201)
    const billingNumber = billing.body.ticket.number as string
    // John cannot open the Billing ticket: he cannot link to it, and it answers as a missing one.
    const refused = await john.post(`/api/v1/tickets/${support}/links`, {
      number: billingNumber,
      kind: 'related',
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('link_target_not_found')
    const missing = await john.post(`/api/v1/tickets/${support}/links`, {
      number: '99999999',
      kind: 'related',
    })
    expect(missing.body).toEqual({
      error: {
        ...refused.body.error,
        message: refused.body.error.message.replace(billingNumber, '99999999'),
      },
    })
    // Someone who sees both linked them (an admin with both departments, say): each agent sees only a stub.
    const ids = await t.app.db.read
      .selectFrom('tickets')
      .select(['id', 'number'])
      .where('number', 'in', [support, billingNumber])
      .execute()
    const idOf = (n: string) => ids.find((r) => r.number === n)!.id
    await t.app.db.writer
      .insertInto('ticket_relations')
      .values({
        a_id: idOf(support),
        b_id: idOf(billingNumber),
        kind: 'related',
        created_by: 1,
        created_at: Date.now(),
      })
      .execute()
    const johnSees = await links(john, support)
    expect(johnSees.items).toEqual([{ visible: false, kind: 'related', createdAt: expect.any(String) }])
    expect(JSON.stringify(johnSees)).not.toContain('Billing secret')
    expect(JSON.stringify(johnSees)).not.toContain(billingNumber)
    const samSees = await links(sam, billingNumber)
    expect(samSees.items).toEqual([{ visible: false, kind: 'related', createdAt: expect.any(String) }])
    expect(JSON.stringify(samSees)).not.toContain('Support secret')
    // Customers are not shown links at all, and a ticket one may not see answers 404.
    expect((await ken.get(`/api/v1/tickets/${support}/links`)).status).toBe(403)
    expect((await sam.get(`/api/v1/tickets/${support}/links`)).status).toBe(404)
  })

  it('splits customer messages with their attachments into a new linked ticket for the same requester', async () => {
    const number = await open(uniq('Two problems'), 'My printer is broken.')
    const second = await ken.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Also my badge does not work.',
    })
    const third = await ken.post(`/api/v1/tickets/${number}/messages`, {
      body: 'And the badge reader beeps.',
    })
    await t.app.db.writer
      .insertInto('entry_attachments')
      .values({
        entry_id: second.body.entry.id,
        ticket_id: (
          await t.app.db.read
            .selectFrom('tickets')
            .select('id')
            .where('number', '=', number)
            .executeTakeFirstOrThrow()
        ).id,
        filename: 'badge.txt',
        content_type: 'text/plain',
        size: 5,
        sha256: await storeBuffer(t.app.attachments, t.app.db.writer, Buffer.from('badge'), Date.now()),
        created_at: Date.now(),
      })
      .execute()
    const reply = await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Looking into it.' })
    const refused = await john.post(`/api/v1/tickets/${number}/split`, { entryIds: [reply.body.entry.id] })
    expect(refused.body.error.code).toBe('split_not_message')
    expect((await john.post(`/api/v1/tickets/${number}/split`, { entryIds: [999999] })).body.error.code).toBe(
      'split_entry_not_found',
    )
    expect(
      (await ken.post(`/api/v1/tickets/${number}/split`, { entryIds: [second.body.entry.id] })).status,
    ).toBe(403)

    const split = await john.post(`/api/v1/tickets/${number}/split`, {
      entryIds: [second.body.entry.id, third.body.entry.id],
      subject: 'Badge does not work',
    })
    expect(split.status, JSON.stringify(split.body)).toBe(201)
    expect(split.body.moved).toBe(2)
    const created = split.body.created.number as string
    // A new ticket's SLA applies to it, as to any new ticket.
    expect(split.body.created.sla.plan).not.toBeNull()
    expect(split.body.created).toMatchObject({
      subject: 'Badge does not work',
      requester: { email: 'ken@example.com' },
    })
    const original = (await ken.get(`/api/v1/tickets/${number}`)).body.thread.map(
      (e: { body: string }) => e.body,
    )
    expect(original).toEqual(['My printer is broken.', 'Looking into it.'])
    const moved = (await ken.get(`/api/v1/tickets/${created}`)).body.thread.map(
      (e: { body: string }) => e.body,
    )
    expect(moved).toEqual(['Also my badge does not work.', 'And the badge reader beeps.'])
    const mail = await ken.get(`/api/v1/tickets/${created}/mail`)
    expect(mail.body.entries[0].attachments).toEqual([expect.objectContaining({ filename: 'badge.txt' })])
    expect((await links(john, created)).items).toEqual([expect.objectContaining({ number, kind: 'parent' })])
    expect((await links(john, number)).items).toEqual([
      expect.objectContaining({ number: created, kind: 'child' }),
    ])
    // The customer finds the new ticket by its words; the original no longer matches them.
    const found = await ken.get(`/api/v1/tickets?q=beeps`)
    expect(found.body.items.map((i: { number: string }) => i.number)).toEqual([created])
  })
})
