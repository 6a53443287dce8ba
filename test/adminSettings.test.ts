// The admin settings that got their screens in issue 13, through the API on both databases: failed mail
// discarded and restored (kept raw), mail templates previewed with sample data and reset, intake addresses
// deleted, the audit log filtered by day, and the security policy's session lifetime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../src/mail/receiveEmail.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const noSender = (subject: string) =>
  Buffer.from(
    `X-No-From: yes\r\nTo: support@example.com\r\nSubject: ${subject}\r\n` +
      `Message-ID: <${subject.replace(/\W+/g, '-')}@client.test>\r\n\r\nLost.\r\n`,
  )

describe.each(DATABASES)('admin settings on %s', (kind) => {
  let t: TestServer
  let admin: Client
  beforeAll(async () => {
    t = await startServer(kind)
    admin = await new Client(t.url).as('admin@example.com')
  })
  afterAll(async () => {
    await t?.close()
  })

  it('discards failed mail, keeping it raw, and restores it', async () => {
    const failed = await receiveEmail(t.app, noSender(`Discard me ${kind}`), { source: 'pipe' })
    if (failed.status !== 'failed') throw new Error(JSON.stringify(failed))
    const listed = async () =>
      ((await admin.get('/api/v1/admin/failed-mail')).body.items as { id: number }[]).map((m) => m.id)
    expect(await listed()).toContain(failed.inboundId)

    expect((await admin.post(`/api/v1/admin/failed-mail/${failed.inboundId}/discard`, {})).status).toBe(204)
    expect(await listed()).not.toContain(failed.inboundId)
    expect((await admin.get(`/api/v1/admin/failed-mail/${failed.inboundId}/raw`)).status).toBe(404)
    const row = await t.app.db.read
      .selectFrom('inbound_mail')
      .select(['status', 'raw'])
      .where('id', '=', failed.inboundId)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('discarded')
    expect(Buffer.from(row.raw).toString()).toContain(`Discard me ${kind}`)
    // Twice is a missing message, not a second event.
    expect((await admin.post(`/api/v1/admin/failed-mail/${failed.inboundId}/discard`, {})).status).toBe(404)
    // The same message stored again answers as the failure it is.
    const again = await receiveEmail(t.app, noSender(`Discard me ${kind}`), {
      source: 'imap',
      sourceKey: `k-${failed.inboundId}`,
    })
    expect(again.status).toBe('failed')

    expect((await admin.post(`/api/v1/admin/failed-mail/${failed.inboundId}/restore`, {})).status).toBe(204)
    expect(await listed()).toContain(failed.inboundId)
    expect((await admin.post(`/api/v1/admin/failed-mail/${failed.inboundId}/restore`, {})).status).toBe(404)
    const types = (await admin.get('/api/v1/admin/audit?type=admin.failed_mail.*')).body.items.map(
      (e: { type: string }) => e.type,
    )
    expect(types).toEqual(['admin.failed_mail.restored', 'admin.failed_mail.discarded'])
  })

  it('previews a template with sample data, escaped, and resets it to the default', async () => {
    const preview = await admin.post('/api/v1/admin/mail-templates/reply/preview', {
      subject: 'Re: [#{{ticket.number}}] {{ticket.subject}}',
      body: 'Hello {{recipient.name}} <b>,\n{{message}}',
    })
    expect(preview.status).toBe(200)
    expect(preview.body.subject).toBe('Re: [#100042] The printer on floor 3 is jammed')
    expect(preview.body.text).toContain('Hello Ken Adams <b>,')
    expect(preview.body.html).toContain('Hello Ken Adams &#60;b&#62;,')
    expect(preview.body.html).not.toContain('<b>')
    const unknown = await admin.post('/api/v1/admin/mail-templates/reply/preview', {
      subject: '{{ticket.secret}}',
      body: 'x',
    })
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'unknown_variable'])

    const defaults = (await admin.get('/api/v1/admin/mail-templates')).body.items.find(
      (x: { key: string }) => x.key === 'reply',
    )
    expect(defaults.custom).toBe(false)
    await admin.request('PUT', '/api/v1/admin/mail-templates/reply', { subject: 'Custom', body: 'Mine' })
    const reset = await admin.request('DELETE', '/api/v1/admin/mail-templates/reply')
    expect(reset.status).toBe(200)
    expect(reset.body).toEqual({ ...defaults })
  })

  it('deletes an intake address', async () => {
    const put = await admin.request('PUT', '/api/v1/admin/intake-addresses/gone@example.com', {
      departmentId: 1,
    })
    expect(put.status).toBe(204)
    expect((await admin.request('DELETE', '/api/v1/admin/intake-addresses/gone@example.com')).status).toBe(
      204,
    )
    expect((await admin.request('DELETE', '/api/v1/admin/intake-addresses/gone@example.com')).status).toBe(
      404,
    )
    const left = (await admin.get('/api/v1/admin/intake-addresses')).body.items
    expect(left.some((a: { address: string }) => a.address === 'gone@example.com')).toBe(false)
  })

  it('filters the audit log by day', async () => {
    const today = new Date(t.app.clock.now()).toISOString().slice(0, 10)
    const tomorrow = new Date(t.app.clock.now() + 86_400_000).toISOString().slice(0, 10)
    const todays = await admin.get(`/api/v1/admin/audit?from=${today}&to=${today}&type=auth.login`)
    expect(todays.status).toBe(200)
    expect(todays.body.items.length).toBeGreaterThan(0)
    expect((await admin.get(`/api/v1/admin/audit?from=${tomorrow}`)).body.items).toEqual([])
    expect((await admin.get('/api/v1/admin/audit?from=yesterday')).status).toBe(400)
  })

  it('sets the session lifetime: new sessions get it, and a shorter one ends longer sessions', async () => {
    expect((await admin.get('/api/v1/admin/security')).body).toEqual({
      requireAgentTwoFactor: false,
      sessionLifetimeHours: 720,
    })
    const john = await new Client(t.url).as('john@example.com')
    const changed = await admin.request('PUT', '/api/v1/admin/security', { sessionLifetimeHours: 8 })
    expect(changed.status).toBe(200)
    expect(changed.body).toEqual({ requireAgentTwoFactor: false, sessionLifetimeHours: 8 })
    const sessions = await t.app.db.read.selectFrom('sessions').select(['created_at', 'expires_at']).execute()
    for (const s of sessions) expect(s.expires_at - s.created_at).toBeLessThanOrEqual(8 * 3_600_000)
    expect((await john.get('/api/v1/auth/me')).status).toBe(200)
    const audit = await admin.get('/api/v1/admin/audit?type=settings.security_changed')
    expect(audit.body.items[0]).toMatchObject({
      before: { sessionLifetimeHours: 720 },
      after: { sessionLifetimeHours: 8 },
    })
    expect((await admin.request('PUT', '/api/v1/admin/security', { sessionLifetimeHours: 0 })).status).toBe(
      400,
    )
    expect((await admin.request('PUT', '/api/v1/admin/security', { sessionLifetimeHours: 720 })).status).toBe(
      200,
    )
  })
})
