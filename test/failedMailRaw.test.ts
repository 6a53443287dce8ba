// Failed mail is only failed mail (issue 9, finding 3): GET /api/v1/admin/failed-mail/:id/raw returned any
// inbound message by its sequential id, including mail filed into tickets the admin cannot see. Now it serves
// only messages in the failed list, and a filed message's raw source is read through its ticket, by an agent
// who may see that ticket, as a download no browser renders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../src/mail/receiveEmail.ts'
import { Client } from './support/client.ts'
import { readBody } from './support/readBody.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const mail = (from: string, subject: string, body: string) =>
  Buffer.from(
    [
      from ? `From: ${from}` : 'X-No-From: yes',
      'To: support@example.com',
      `Subject: ${subject}`,
      `Message-ID: <${subject.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2)}@client.test>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  )

describe.each(DATABASES)('raw mail on %s', (kind) => {
  let t: TestServer
  let admin: Client
  let john: Client
  let sam: Client
  let ken: Client
  let filed: { inboundId: number; number: string; entryId: number; raw: Buffer }
  let other: { number: string; entryId: number }
  let failedId: number

  beforeAll(async () => {
    t = await startServer(kind)
    const anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    john = await anon.as('john@example.com')
    sam = await anon.as('sam@example.com')
    ken = await anon.as('ken@example.com')
    const raw = mail('Ken Adams <ken@example.com>', 'My VPN password is hunter2', 'Please reset it.')
    const outcome = await receiveEmail(t.app, raw, { source: 'pipe', envelopeTo: ['support@example.com'] })
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome))
    const thread = (await john.get(`/api/v1/tickets/${outcome.ticketNumber}`)).body.thread
    filed = { inboundId: outcome.inboundId, number: outcome.ticketNumber, entryId: thread[0].id, raw }

    const second = await receiveEmail(t.app, mail('ken@example.com', 'Another one', 'Second ticket.'), {
      source: 'pipe',
      envelopeTo: ['support@example.com'],
    })
    if (second.status !== 'done') throw new Error(JSON.stringify(second))
    other = {
      number: second.ticketNumber,
      entryId: (await john.get(`/api/v1/tickets/${second.ticketNumber}`)).body.thread[0].id,
    }

    const failed = await receiveEmail(t.app, mail('', 'No sender', 'Lost.'), { source: 'pipe' })
    if (failed.status !== 'failed') throw new Error(JSON.stringify(failed))
    failedId = failed.inboundId
  })
  afterAll(() => t.close())

  const rawOf = (client: Client, path: string) =>
    fetch(t.url + path, { headers: { authorization: `Bearer ${client.token}` } })

  it('serves the raw source of failed mail to admins, and 404 for a message that was filed', async () => {
    const failed = await rawOf(admin, `/api/v1/admin/failed-mail/${failedId}/raw`)
    expect(failed.status).toBe(200)
    expect(failed.headers.get('content-type')).toBe('message/rfc822')
    expect(await readBody(failed)).toContain('Subject: No sender')

    const filedAsFailed = await rawOf(admin, `/api/v1/admin/failed-mail/${filed.inboundId}/raw`)
    expect(filedAsFailed.status).toBe(404)
    expect(await readBody(filedAsFailed)).not.toContain('hunter2')
    // Same answer as an id that does not exist.
    const missing = await rawOf(admin, `/api/v1/admin/failed-mail/999999/raw`)
    expect(missing.status).toBe(404)
  })

  it('serves a filed message to an agent who may see its ticket, as a download', async () => {
    const res = await rawOf(john, `/api/v1/tickets/${filed.number}/messages/${filed.entryId}/raw`)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(filed.raw)).toBe(true)
    expect(res.headers.get('content-type')).toBe('message/rfc822')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''ticket-/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
    // The agent view knows which entries have an original.
    const view = await john.get(`/api/v1/tickets/${filed.number}/mail`)
    expect(view.body.entries).toContainEqual(
      expect.objectContaining({ entryId: filed.entryId, original: true }),
    )
  })

  it('answers 404 through the ticket route to an agent who may not see the ticket, as for a missing one', async () => {
    const missing = await rawOf(sam, `/api/v1/tickets/999999/messages/${filed.entryId}/raw`)
    expect(missing.status).toBe(404)
    const missingBody = await readBody(missing)
    // Sam works in Billing; the admin has no department: neither may see Ken's Support ticket.
    for (const outsider of [sam, admin]) {
      const res = await rawOf(outsider, `/api/v1/tickets/${filed.number}/messages/${filed.entryId}/raw`)
      expect(res.status).toBe(404)
      expect(await readBody(res)).toBe(missingBody)
    }
    // Customers never get raw mail, not even their own.
    expect((await rawOf(ken, `/api/v1/tickets/${filed.number}/messages/${filed.entryId}/raw`)).status).toBe(
      403,
    )
  })

  it('answers 404 for an entry of another ticket, and for an entry that did not come by email', async () => {
    const crossed = await rawOf(john, `/api/v1/tickets/${filed.number}/messages/${other.entryId}/raw`)
    expect(crossed.status).toBe(404)
    const reply = await john.post(`/api/v1/tickets/${filed.number}/messages`, {
      body: 'Done.',
      internal: false,
    })
    expect(reply.status).toBe(201)
    const entries = (await john.get(`/api/v1/tickets/${filed.number}`)).body.thread
    const mine = entries.at(-1).id
    expect((await rawOf(john, `/api/v1/tickets/${filed.number}/messages/${mine}/raw`)).status).toBe(404)
  })
})
