// Webhooks (issue 18) against a real receiver on loopback: every subscribed event once, signed, in order per
// ticket; the backoff schedule on a fixed clock, failure and redelivery; resuming across a restart; and the
// SSRF guard (loopback without the setting, metadata, names that resolve privately, redirects).
import { createHmac } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { judgeAddress } from '../src/domain/webhookTargets.ts'
import { fanOutWebhooks } from '../src/jobs/webhookFanout.ts'
import { WEBHOOK_BACKOFF_MS } from '../src/jobs/webhookDelivery.ts'
import { runSlaSweep } from '../src/jobs/slaSweep.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { startChildServer } from './support/childServer.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, scratchDatabaseUrl, startServer, type TestServer } from './support/testServer.ts'
import { WebhookReceiver, type Received } from './support/webhookReceiver.ts'

const verify = (secret: string, r: Received) => {
  const timestamp = String(r.headers['x-switchboard-timestamp'])
  const expected = createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')
  return r.headers['x-switchboard-signature'] === `sha256=${expected}`
}

describe('the SSRF guard judges addresses', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast, 0.0.0.0 and metadata; allows public', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'private'],
      ['127.8.9.10', 'private'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['169.254.10.10', 'private'],
      ['224.0.0.1', 'private'],
      ['0.0.0.0', 'private'],
      ['255.255.255.255', 'private'],
      ['::1', 'private'],
      ['::', 'private'],
      ['fd12:3456::1', 'private'],
      ['fe80::1', 'private'],
      ['ff02::1', 'private'],
      ['::ffff:127.0.0.1', 'private'],
      ['::ffff:10.0.0.1', 'private'],
      ['169.254.169.254', 'metadata'],
      ['::ffff:169.254.169.254', 'metadata'],
      ['fd00:ec2::254', 'metadata'],
      ['8.8.8.8', 'ok'],
      ['172.32.0.1', 'ok'],
      ['2001:4860:4860::8888', 'ok'],
    ]
    for (const [address, verdict] of cases)
      expect([address, judgeAddress(address)]).toEqual([address, verdict])
  })
})

describe.each(DATABASES)('webhooks on %s', (kind) => {
  let t: TestServer
  let admin: Client
  let john: Client
  let ken: Client
  let johnId: number
  const receiver = new WebhookReceiver()
  const clock = new FixedClock(Date.parse('2026-12-01T10:00:00Z'))
  // A name we resolve ourselves, as a DNS server might: one private, one to the metadata address.
  const resolve = async (host: string) => {
    if (host === 'intranet.example') return [{ address: '10.20.30.40', family: 4 }]
    if (host === 'metadata.example') return [{ address: '169.254.169.254', family: 4 }]
    if (host === 'mixed.example')
      return [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]
    if (host === 'receiver.example') return [{ address: '127.0.0.1', family: 4 }]
    // Anything else (localhost) through the system's resolver, as in production.
    return lookup(host, { all: true })
  }

  beforeAll(async () => {
    await receiver.start()
    t = await startServer(kind, { clock, resolve })
    const anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    john = await anon.as('john@example.com')
    ken = await anon.as('ken@example.com')
    johnId = (await john.get('/api/v1/auth/me')).body.user.id
  })
  afterAll(async () => {
    await t?.close()
    await receiver.stop()
  })

  const allowPrivate = async (on: boolean) =>
    expect(
      (await admin.request('PUT', '/api/v1/admin/webhooks/settings', { allowPrivateTargets: on })).status,
    ).toBe(200)
  async function register(body: Record<string, unknown>) {
    const res = await admin.post('/api/v1/admin/webhooks', body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as { webhook: { id: number }; secret?: string }
  }
  const disable = (id: number) => admin.patch(`/api/v1/admin/webhooks/${id}`, { active: false })
  const deliveries = async (id: number) =>
    (await admin.get(`/api/v1/admin/webhooks/${id}/deliveries`)).body.items as Record<string, any>[]
  async function openTicket(subject: string) {
    const res = await ken.post('/api/v1/tickets', { subject, message: 'It is broken.' })
    expect(res.status).toBe(201)
    return res.body.ticket.number as string
  }

  it('delivers every subscribed event once, signed, in order; notes only to internal webhooks', async () => {
    await allowPrivate(true)
    receiver.received.length = 0
    receiver.answer = () => ({ status: 204 })
    const subscribed = [
      'ticket.created',
      'ticket.assigned',
      'ticket.status_changed',
      'message.added',
      'note.added',
    ]
    const pub = await register({ url: `${receiver.url}/public`, events: subscribed, description: 'chat' })
    const internal = await register({
      url: `${receiver.url}/internal`,
      events: subscribed,
      internal: true,
      secret: 'a-secret-of-our-own-choosing',
    })
    // The generated secret is shown once, in the answer to the create; never again.
    expect(pub.secret).toMatch(/^whsec_/)
    expect(internal.secret).toBeUndefined()
    const listed = await admin.get('/api/v1/admin/webhooks')
    expect(JSON.stringify(listed.body)).not.toContain(pub.secret)
    expect(JSON.stringify(listed.body)).not.toContain('a-secret-of-our-own-choosing')
    expect(listed.body.events.map((e: { name: string }) => e.name)).toContain('sla.breached')

    const number = await openTicket('Webhooks: printer on fire')
    const v1 = (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version
    expect((await john.post(`/api/v1/tickets/${number}/messages`, { body: 'On my way.' })).status).toBe(201)
    expect(
      (await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Secret: it is Bob.', internal: true }))
        .status,
    ).toBe(201)
    const v = (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version
    expect(v).toBeGreaterThanOrEqual(v1)
    const patched = await john.patch(`/api/v1/tickets/${number}`, {
      version: v,
      status: 'resolved',
      assigneeAgentId: johnId,
    })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)

    expect(await t.deliverWebhooks()).toBeGreaterThan(0)
    const publicOnes = receiver.received.filter((r) => r.url === '/public')
    const internalOnes = receiver.received.filter((r) => r.url === '/internal')
    const kinds = (rs: Received[]) =>
      rs
        .map((r) => JSON.parse(r.body))
        .filter((p) => p.ticket.number === number)
        .map((p) => p.event)
    expect(kinds(publicOnes)).toEqual([
      'ticket.created',
      'message.added',
      'ticket.status_changed',
      'ticket.assigned',
    ])
    expect(kinds(internalOnes)).toEqual([
      'ticket.created',
      'message.added',
      'note.added',
      'ticket.status_changed',
      'ticket.assigned',
    ])
    for (const r of publicOnes) expect(verify(pub.secret!, r)).toBe(true)
    for (const r of internalOnes) expect(verify('a-secret-of-our-own-choosing', r)).toBe(true)
    expect(verify('a-wrong-secret-entirely', publicOnes[0]!)).toBe(false)
    // The note's text reaches no public receiver in any form.
    expect(publicOnes.map((r) => r.body).join('')).not.toContain('Secret: it is Bob.')
    expect(internalOnes.map((r) => r.body).join('')).toContain('Secret: it is Bob.')
    const first = publicOnes[0]!
    expect(first.headers['x-switchboard-event']).toBe('ticket.created')
    expect(first.headers['x-switchboard-timestamp']).toBe(String(Math.floor(clock.now() / 1000)))
    expect(first.headers['content-type']).toBe('application/json')
    const payload = JSON.parse(first.body)
    expect(payload.ticket).toMatchObject({ number, subject: 'Webhooks: printer on fire' })
    expect(payload.ticket.tags).toBeUndefined()
    expect(payload.ticket.url).toMatch(new RegExp(`/portal/tickets/${number}$`))
    expect(JSON.parse(internalOnes[0]!.body).ticket.url).toMatch(new RegExp(`/agent/tickets/${number}$`))
    const reply = JSON.parse(publicOnes[1]!.body)
    expect(reply.entry).toMatchObject({ kind: 'response', body: 'On my way.' })
    const ids = receiver.received.map((r) => r.headers['x-switchboard-delivery'])
    expect(new Set(ids).size).toBe(ids.length)

    // Nothing twice: another round sends nothing, and the same change handed over again adds nothing.
    const before = receiver.received.length
    expect(await t.deliverWebhooks()).toBe(0)
    const ticketId = (
      await t.app.db.read
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', number)
        .executeTakeFirstOrThrow()
    ).id
    const eventIds = (
      await t.app.db.read.selectFrom('events').select('id').where('ticket_id', '=', ticketId).execute()
    ).map((e) => e.id)
    await fanOutWebhooks(t.app, { ticketId, eventIds })
    expect(await t.deliverWebhooks()).toBe(0)
    expect(receiver.received.length).toBe(before)
    const listedDeliveries = await deliveries(pub.webhook.id)
    expect(listedDeliveries.every((d) => d.status === 'succeeded' && d.responseStatus === 204)).toBe(true)
    await disable(pub.webhook.id)
    await disable(internal.webhook.id)
  })

  it('backs off on failure, fails for good after 8 tries, keeps per-ticket order, and redelivers', async () => {
    await allowPrivate(true)
    receiver.received.length = 0
    // The receiver fails what it is sent about new tickets, and takes the rest.
    let recovered = false
    receiver.answer = (r) =>
      JSON.parse(r.body).event === 'ticket.created' && !recovered
        ? { status: 500, body: `broken ${'x'.repeat(5000)}` }
        : { status: 200, body: 'thanks' }
    const hook = await register({
      url: `${receiver.url}/flaky`,
      events: ['ticket.created', 'message.added'],
      secret: 'flaky-secret-0123456789',
    })
    const number = await openTicket('Webhooks: flaky receiver')
    expect(await t.deliverWebhooks()).toBe(1)
    const [created] = await deliveries(hook.webhook.id)
    expect(created).toMatchObject({
      status: 'pending',
      attempts: 1,
      responseStatus: 500,
      event: 'ticket.created',
      ticketNumber: number,
    })
    expect(created!.responseExcerpt).toMatch(/^broken x+$/)
    expect(created!.responseExcerpt.length).toBeLessThanOrEqual(1024)
    // A later event of the same ticket waits behind the one being retried.
    expect((await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Any news?' })).status).toBe(201)
    const schedule: number[] = []
    let last = clock.now()
    for (const [i, wait] of WEBHOOK_BACKOFF_MS.entries()) {
      const [d] = (await deliveries(hook.webhook.id)).filter((x) => x.event === 'ticket.created')
      schedule.push(Date.parse(d!.nextAttemptAt) - last)
      clock.advance(wait - 1000)
      expect(await t.deliverWebhooks()).toBe(0) // not yet due, and the later one waits
      clock.advance(1000)
      last = clock.now()
      // The eighth try fails for good; then, in the same round, the waiting event of the ticket goes.
      expect(await t.deliverWebhooks()).toBe(i === WEBHOOK_BACKOFF_MS.length - 1 ? 2 : 1)
    }
    expect(schedule).toEqual(WEBHOOK_BACKOFF_MS)
    expect(WEBHOOK_BACKOFF_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(20 * 3_600_000)
    const flaky = receiver.received.filter((r) => r.url === '/flaky')
    expect(flaky.map((r) => JSON.parse(r.body).event)).toEqual([
      ...Array(8).fill('ticket.created'),
      'message.added',
    ])
    const failed = (await deliveries(hook.webhook.id)).find((d) => d.event === 'ticket.created')!
    expect(failed).toMatchObject({ status: 'failed', attempts: 8, responseStatus: 500, nextAttemptAt: null })
    expect(failed.error).toContain('500')

    recovered = true
    const succeeded = (await deliveries(hook.webhook.id)).find((d) => d.event === 'message.added')!
    expect(succeeded).toMatchObject({ status: 'succeeded', attempts: 1 })
    const notFailed = await admin.post(
      `/api/v1/admin/webhooks/${hook.webhook.id}/deliveries/${succeeded.id}/redeliver`,
    )
    expect([notFailed.status, notFailed.body.error.code]).toEqual([400, 'delivery_not_failed'])
    const again = await admin.post(
      `/api/v1/admin/webhooks/${hook.webhook.id}/deliveries/${failed.id}/redeliver`,
    )
    expect(again.status).toBe(200)
    expect(again.body.delivery).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await t.deliverWebhooks()).toBe(1)
    const last2 = receiver.received.at(-1)!
    expect(last2.headers['x-switchboard-delivery']).toBe(String(failed.id))
    expect(verify('flaky-secret-0123456789', last2)).toBe(true)
    expect((await deliveries(hook.webhook.id)).find((d) => d.id === failed.id)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      responseStatus: 200,
      responseExcerpt: 'thanks',
    })
    const missing = await admin.post(`/api/v1/admin/webhooks/${hook.webhook.id}/deliveries/999999/redeliver`)
    expect(missing.status).toBe(404)
    await disable(hook.webhook.id)
  })

  it('refuses loopback without the setting, metadata always, private names, and follows no redirect', async () => {
    await allowPrivate(false)
    for (const url of ['http://127.0.0.1:9/x', 'http://[::1]:9/x', 'http://10.0.0.1/x', 'http://0.0.0.0/']) {
      const res = await admin.post('/api/v1/admin/webhooks', { url, events: ['ticket.created'] })
      expect([url, res.status, res.body.error.code]).toEqual([url, 400, 'webhook_target_refused'])
    }
    for (const url of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'http://user:pw@example.com/',
      'not a url',
    ]) {
      const res = await admin.post('/api/v1/admin/webhooks', { url, events: ['ticket.created'] })
      expect([url, res.status, res.body.error.code]).toEqual([url, 400, 'invalid_webhook_url'])
    }
    await allowPrivate(true)
    const metadata = await admin.post('/api/v1/admin/webhooks', {
      url: 'http://169.254.169.254/latest/meta-data',
      events: ['ticket.created'],
    })
    expect([metadata.status, metadata.body.error.code]).toEqual([400, 'webhook_target_refused'])

    // Names are judged by what they resolve to, at delivery: without the setting, all of these fail at once.
    await allowPrivate(false)
    const port = new URL(receiver.url).port
    const hooks: { webhook: { id: number } }[] = []
    for (const host of [
      'localhost',
      'intranet.example',
      'metadata.example',
      'mixed.example',
      'receiver.example',
    ])
      hooks.push(await register({ url: `http://${host}:${port}/by-name`, events: ['ticket.created'] }))
    receiver.received.length = 0
    receiver.answer = () => ({ status: 200 })
    await openTicket('Webhooks: refused targets')
    expect(await t.deliverWebhooks()).toBe(5)
    expect(receiver.received.length).toBe(0)
    for (const h of hooks) {
      const [d] = await deliveries(h.webhook.id)
      expect(d).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null })
      expect(d!.error).toMatch(/target refused/)
    }
    // With the setting, a private name is reached, but the metadata address still is not. (The names that
    // resolve to addresses nobody listens on are left out: connecting there only waits for a timeout.)
    await allowPrivate(true)
    for (const i of [0, 2, 4]) {
      const h = hooks[i]!
      const [d] = await deliveries(h.webhook.id)
      const again = await admin.post(`/api/v1/admin/webhooks/${h.webhook.id}/deliveries/${d!.id}/redeliver`)
      expect(again.status).toBe(200)
    }
    expect(await t.deliverWebhooks()).toBe(3)
    const outcome = async (i: number) => (await deliveries(hooks[i]!.webhook.id))[0]!.status
    expect(await outcome(0)).toBe('succeeded') // localhost
    expect(await outcome(2)).toBe('failed') // metadata.example
    expect(await outcome(4)).toBe('succeeded') // receiver.example
    for (const h of hooks) await disable(h.webhook.id)

    // A redirect is not followed, not even to a loopback address that is allowed.
    const elsewhere = await new WebhookReceiver().start()
    try {
      receiver.received.length = 0
      receiver.answer = () => ({ status: 302, headers: { location: `${elsewhere.url}/stolen` } })
      const hook = await register({ url: `${receiver.url}/redirects`, events: ['ticket.created'] })
      await openTicket('Webhooks: redirect')
      expect(await t.deliverWebhooks()).toBe(1)
      expect(receiver.received.length).toBe(1)
      expect(elsewhere.received.length).toBe(0)
      const [d] = await deliveries(hook.webhook.id)
      expect(d).toMatchObject({ status: 'pending', responseStatus: 302, attempts: 1 })
      expect(d!.error).toContain('redirects are not followed')
      receiver.answer = () => ({
        status: 302,
        headers: { location: 'http://169.254.169.254/latest/meta-data' },
      })
      await disable(hook.webhook.id)
    } finally {
      await elsewhere.stop()
    }
  })

  it('manages webhooks: edit, disable, delete, and refuses non-admins', async () => {
    const hook = await register({ url: 'https://hooks.example.com/a', events: ['sla.breached'] })
    const edited = await admin.patch(`/api/v1/admin/webhooks/${hook.webhook.id}`, {
      events: ['sla.breached', 'ticket.created'],
      description: 'pager',
      secret: 'a-new-secret-long-enough',
    })
    expect(edited.status).toBe(200)
    expect(edited.body.webhook).toMatchObject({
      events: ['sla.breached', 'ticket.created'],
      description: 'pager',
      active: true,
    })
    expect(JSON.stringify(edited.body)).not.toContain('a-new-secret')
    expect(
      (await admin.patch(`/api/v1/admin/webhooks/${hook.webhook.id}`, { events: ['nope'] })).status,
    ).toBe(400)
    expect((await john.get('/api/v1/admin/webhooks')).status).toBe(403)
    expect(
      (await ken.post('/api/v1/admin/webhooks', { url: 'https://x.example/', events: ['ticket.created'] }))
        .status,
    ).toBe(403)
    expect((await admin.request('DELETE', `/api/v1/admin/webhooks/${hook.webhook.id}`)).status).toBe(204)
    expect((await admin.get(`/api/v1/admin/webhooks/${hook.webhook.id}`)).status).toBe(404)
    expect((await admin.request('DELETE', `/api/v1/admin/webhooks/${hook.webhook.id}`)).status).toBe(404)
    expect((await admin.get('/api/v1/admin/webhooks/424242/deliveries')).status).toBe(404)
  })

  // Last: it moves the clock days ahead.
  it('sends an SLA breach from the sweep, and prunes old successful deliveries', async () => {
    await allowPrivate(true)
    receiver.received.length = 0
    receiver.answer = () => ({ status: 200 })
    const hook = await register({ url: `${receiver.url}/sla`, events: ['sla.breached'], internal: true })
    // SLA clocks are agent-only: a public webhook subscribed to breaches still gets none.
    const publicHook = await register({ url: `${receiver.url}/sla-public`, events: ['sla.breached'] })
    const number = await openTicket('Webhooks: nobody answers')
    await t.deliverWebhooks()
    clock.advance(10 * 86_400_000)
    await runSlaSweep(t.app)
    await t.deliverWebhooks()
    const breaches = receiver.received
      .map((r) => JSON.parse(r.body))
      .filter((p) => p.ticket.number === number)
    expect(breaches.length).toBeGreaterThan(0)
    expect(receiver.received.filter((r) => r.url === '/sla-public')).toEqual([])
    expect(
      breaches.every((p) => p.event === 'sla.breached' && p.actor === null && p.channel === 'system'),
    ).toBe(true)
    expect(breaches[0].change.after.target).toEqual(expect.any(String))
    // Thirty days on, the successful deliveries are gone from the list; nothing else is.
    clock.advance(31 * 86_400_000)
    await t.deliverWebhooks()
    admin = await new Client(t.url).as('admin@example.com') // the old session has expired by now
    expect(await deliveries(hook.webhook.id)).toEqual([])
    await disable(hook.webhook.id)
    await disable(publicHook.webhook.id)
  })
})

describe.each(DATABASES)('webhook delivery across a restart on %s', (kind) => {
  it('resumes a delivery in the middle of its retries after the server restarts', async () => {
    const scratch = await scratchDatabaseUrl(kind)
    const db = openDatabase(scratch.url)
    await migrateToLatest(db)
    await seedDemo(db.writer, Date.now())
    await db.close()
    const receiver = await new WebhookReceiver().start()
    const clock = new FixedClock(Date.parse('2026-12-02T09:00:00Z'))
    let first: TestServer | undefined
    let second: TestServer | undefined
    try {
      first = await startServer(kind, { clock, databaseUrl: scratch.url })
      const admin = await new Client(first.url).as('admin@example.com')
      await admin.request('PUT', '/api/v1/admin/webhooks/settings', { allowPrivateTargets: true })
      const { body } = await admin.post('/api/v1/admin/webhooks', {
        url: `${receiver.url}/r`,
        events: ['ticket.created'],
      })
      const secret = body.secret as string
      receiver.answer = () => ({ status: 503 })
      const ken = await new Client(first.url).as('ken@example.com')
      const number = (await ken.post('/api/v1/tickets', { subject: 'Restart', message: 'x' })).body.ticket
        .number
      expect(await first.deliverWebhooks()).toBe(1)
      expect(await first.deliverWebhooks()).toBe(0)
      await first.close()
      first = undefined

      receiver.answer = () => ({ status: 200 })
      second = await startServer(kind, { clock, databaseUrl: scratch.url })
      expect(await second.deliverWebhooks()).toBe(0) // the retry is not due yet
      clock.advance(WEBHOOK_BACKOFF_MS[0]!)
      expect(await second.deliverWebhooks()).toBe(1)
      expect(receiver.received.length).toBe(2)
      const [a, b] = receiver.received
      expect(a!.headers['x-switchboard-delivery']).toBe(b!.headers['x-switchboard-delivery'])
      expect(verify(secret, b!)).toBe(true)
      expect(JSON.parse(b!.body).ticket.number).toBe(number)
      const admin2 = await new Client(second.url).as('admin@example.com')
      const items = (await admin2.get(`/api/v1/admin/webhooks/${body.webhook.id}/deliveries`)).body.items
      expect(items).toMatchObject([{ status: 'succeeded', attempts: 2, responseStatus: 200 }])
    } finally {
      await first?.close()
      await second?.close()
      await receiver.stop()
      await scratch.drop()
    }
  })
})

describe('webhooks from a real `switchboard start` process', () => {
  it('delivers from the worker loop on its own, signed, without a test driving it', async () => {
    const receiver = await new WebhookReceiver().start()
    const server = await startChildServer()
    try {
      const admin = await new Client(server.url).as('admin@example.com')
      await admin.request('PUT', '/api/v1/admin/webhooks/settings', { allowPrivateTargets: true })
      const { body } = await admin.post('/api/v1/admin/webhooks', {
        url: `${receiver.url}/live`,
        events: ['ticket.created'],
      })
      const ken = await new Client(server.url).as('ken@example.com')
      const number = (await ken.post('/api/v1/tickets', { subject: 'Live hook', message: 'x' })).body.ticket
        .number
      for (let i = 0; i < 100 && receiver.received.length === 0; i++)
        await new Promise((r) => setTimeout(r, 50))
      expect(receiver.received.length, server.output()).toBe(1)
      expect(verify(body.secret as string, receiver.received[0]!)).toBe(true)
      expect(JSON.parse(receiver.received[0]!.body).ticket.number).toBe(number)
    } finally {
      await server.stop()
      await receiver.stop()
    }
  })
})
