// Issue 13, on every database: a person's sessions (listed without tokens, ended one at a time, this one by
// Sign out, all by Sign out everywhere), recovery codes used once at the two-factor step, and Mail preview:
// without SMTP_URL outgoing mail is kept for admins only, and the reset link in it works.
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../src/commands/auth.ts'
import { MAIL_PREVIEW_KEEP } from '../src/repositories/mailPreviewRepo.ts'
import { Client } from './support/client.ts'
import { MailSink } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('account settings on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let offset = 0
  const clock = { now: () => Date.now() + offset }
  beforeAll(async () => {
    t = await startServer(kind, { clock })
    anon = new Client(t.url)
  })
  afterAll(() => t.close())

  const signIn = async (email: string, userAgent: string) => {
    const res = await anon.post(
      '/api/v1/auth/login',
      { email, password: 'demo-password' },
      { 'user-agent': userAgent },
    )
    expect(res.status).toBe(200)
    return new Client(t.url, res.body.token as string)
  }

  it('lists my sessions without tokens, ends one, and signs out this one or everywhere', async () => {
    const laptop = await signIn('sam@example.com', 'Laptop browser')
    const phone = await signIn('sam@example.com', 'Phone browser')
    const tablet = await signIn('sam@example.com', 'Tablet browser')
    const other = await signIn('john@example.com', 'John browser')

    const list = await laptop.get('/api/v1/me/sessions')
    expect(list.status).toBe(200)
    const items = list.body.items as { id: string; userAgent: string; current: boolean; ip: string }[]
    expect(items.map((s) => s.userAgent).sort()).toEqual([
      'Laptop browser',
      'Phone browser',
      'Tablet browser',
    ])
    expect(items.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Laptop browser'])
    expect(items[0]).toMatchObject({
      ip: '127.0.0.1',
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
    })
    // Neither a token nor its hash leaves the server.
    const stored = await t.app.db.read.selectFrom('sessions').select('token_hash').execute()
    const text = JSON.stringify(list.body)
    for (const token of [laptop.token!, phone.token!, tablet.token!]) expect(text).not.toContain(token)
    for (const s of stored) expect(text).not.toContain(s.token_hash)
    expect(text).not.toContain(sha256(laptop.token!))

    // Someone else's session is "not found", as is a missing one; mine ends, and only it.
    const johns = (await other.get('/api/v1/me/sessions')).body.items[0].id as string
    expect((await laptop.request('DELETE', `/api/v1/me/sessions/${johns}`)).status).toBe(404)
    expect((await laptop.request('DELETE', '/api/v1/me/sessions/nope')).status).toBe(404)
    expect((await other.get('/api/v1/auth/me')).status).toBe(200)
    const phoneId = items.find((s) => s.userAgent === 'Phone browser')!.id
    expect((await laptop.request('DELETE', `/api/v1/me/sessions/${phoneId}`)).status).toBe(204)
    expect((await phone.get('/api/v1/auth/me')).status).toBe(401)
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(200)
    expect((await tablet.get('/api/v1/auth/me')).status).toBe(200)

    // Sign out ends this session only.
    expect((await tablet.post('/api/v1/auth/logout')).status).toBe(204)
    expect((await tablet.get('/api/v1/auth/me')).status).toBe(401)
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(200)
    const again = await signIn('sam@example.com', 'Second laptop')
    expect((await laptop.get('/api/v1/me/sessions')).body.items).toHaveLength(2)

    // Sign out everywhere ends them all, and nobody else's.
    expect((await again.post('/api/v1/auth/logout-everywhere')).status).toBe(204)
    expect((await again.get('/api/v1/auth/me')).status).toBe(401)
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(401)
    expect((await other.get('/api/v1/auth/me')).status).toBe(200)
    const events = await t.app.db.read
      .selectFrom('events')
      .select('after')
      .where('type', '=', 'auth.logout')
      .orderBy('id')
      .execute()
    expect(events.map((e) => JSON.parse(e.after!).scope)).toEqual(['session', 'this_session', 'everywhere'])
  })

  it('records when a session was last seen, at most every five minutes', async () => {
    const me = await signIn('lena@example.com', 'Lena browser')
    const first = (await me.get('/api/v1/me/sessions')).body.items[0]
    offset += 6 * 60_000
    await me.get('/api/v1/auth/me')
    await t.settle()
    let later = first
    for (let i = 0; i < 100 && later.lastSeenAt === first.lastSeenAt; i++) {
      later = (await me.get('/api/v1/me/sessions')).body.items[0]
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(Date.parse(later.lastSeenAt) - Date.parse(first.lastSeenAt)).toBeGreaterThanOrEqual(6 * 60_000)
    expect(later.createdAt).toBe(first.createdAt)
  })

  it('accepts each recovery code once at the two-factor step', async () => {
    const jane = await anon.as('jane@example.com')
    const { secret } = (await jane.post('/api/v1/auth/two-factor/enrol', {})).body
    const code = await generate({ secret, epoch: Math.floor(clock.now() / 1000) })
    const recovery: string[] = (await jane.post('/api/v1/auth/two-factor/confirm', { code })).body
      .recoveryCodes
    expect(new Set(recovery).size).toBe(10)
    // Only hashes are stored.
    const stored = await t.app.db.read.selectFrom('recovery_codes').select('code_hash').execute()
    expect(JSON.stringify(stored)).not.toContain(recovery[1]!.replace(/-/g, ''))
    const secondStep = async (c: string) => {
      const first = await anon.post('/api/v1/auth/login', {
        email: 'jane@example.com',
        password: 'demo-password',
      })
      return anon.post('/api/v1/auth/login/two-factor', {
        challengeToken: first.body.challengeToken,
        code: c,
      })
    }
    expect((await secondStep(recovery[1]!)).status).toBe(200)
    expect((await secondStep(recovery[1]!)).status).toBe(401)
    expect((await secondStep(recovery[2]!)).status).toBe(200)
  })

  it('keeps mail for admins in Mail preview without SMTP_URL, and the reset link in it works', async () => {
    const admin = await anon.as('admin@example.com')
    const agent = await anon.as('sam@example.com')
    const customer = await anon.as('ken@example.com')
    const asked = await anon.post('/api/v1/auth/password-reset', { email: 'lena@example.com' })
    expect(asked.status).toBe(202)
    // The answer does not promise mail that will not come, and is the same for an unknown address.
    expect(asked.body.message).toContain('does not send email yet')
    expect((await anon.post('/api/v1/auth/password-reset', { email: 'nobody@example.com' })).body).toEqual(
      asked.body,
    )
    await t.settle()

    const list = await admin.get('/api/v1/admin/mail-preview')
    expect(list.status).toBe(200)
    expect(list.body.delivering).toBe(false)
    const reset = list.body.items.find(
      (m: any) => m.kind === 'password_reset' && m.to.address === 'lena@example.com',
    )
    expect(reset).toMatchObject({ subject: expect.any(String), createdAt: expect.any(String) })
    const one = await admin.get(`/api/v1/admin/mail-preview/${reset.id}`)
    expect(one.status).toBe(200)
    const link = /(https?:\/\/\S+#token=[\w-]+)/.exec(one.body.text)![1]!
    expect(link.startsWith(`${t.app.config.mail.publicUrl}/reset-password#token=`)).toBe(true)
    expect(one.body.html).toContain('#token=')
    const token = /#token=([\w-]+)/.exec(link)![1]!
    const confirm = await anon.post('/api/v1/auth/password-reset/confirm', {
      token,
      newPassword: 'lena-new-password',
    })
    expect(confirm.status).toBe(204)
    await anon.as('lena@example.com', 'lena-new-password')

    // Ticket mail is kept too (the auto-response to a new ticket), shown only to admins who may see the ticket:
    // the demo admin works in no department, so it is hidden from them and counted as such.
    await customer.post('/api/v1/tickets', { subject: 'Preview me', message: 'Does mail work?' })
    await t.settle()
    const kept = await t.app.db.read
      .selectFrom('mail_previews')
      .select(['id', 'ticket_id'])
      .where('subject', 'like', '%Preview me%')
      .where('kind', '=', 'autoresponse')
      .execute()
    expect(kept).toHaveLength(1)
    expect(kept[0]!.ticket_id).not.toBeNull()
    const mine = (await admin.get('/api/v1/admin/mail-preview')).body
    expect(JSON.stringify(mine.items)).not.toContain('Preview me')
    expect(mine.hidden).toBeGreaterThanOrEqual(1)
    expect((await admin.get(`/api/v1/admin/mail-preview/${kept[0]!.id}`)).status).toBe(404)
    await t.app.db.writer
      .updateTable('users')
      .set({ is_admin: 1 })
      .where('email', '=', 'alex@example.com')
      .execute()
    const supportAdmin = await anon.as('alex@example.com')
    const theirs = (await supportAdmin.get('/api/v1/admin/mail-preview')).body.items
    expect(
      theirs.some((m: any) => m.to.address === 'ken@example.com' && m.subject.includes('Preview me')),
    ).toBe(true)
    expect((await supportAdmin.get(`/api/v1/admin/mail-preview/${kept[0]!.id}`)).status).toBe(200)

    // Admins only: agents and customers are refused, and so is the outbox of mail it would have been.
    for (const who of [agent, customer]) {
      expect((await who.get('/api/v1/admin/mail-preview')).status).toBe(403)
      expect((await who.get(`/api/v1/admin/mail-preview/${reset.id}`)).status).toBe(403)
    }
    expect((await anon.get('/api/v1/admin/mail-preview')).status).toBe(401)
    expect((await admin.get('/api/v1/admin/mail-preview/2147483647')).status).toBe(404)
    // Nothing was left to fail in the outbox.
    const dead = await t.app.db.read
      .selectFrom('outbox')
      .select('id')
      .where('dead_at', 'is not', null)
      .execute()
    expect(dead).toEqual([])
  })

  it(`keeps the newest ${MAIL_PREVIEW_KEEP} messages`, async () => {
    const { keepMailPreview } = await import('../src/repositories/mailPreviewRepo.ts')
    await t.app.db.transact(async (trx) => {
      for (let i = 0; i < MAIL_PREVIEW_KEEP + 5; i++)
        await keepMailPreview(trx, {
          kind: 'test',
          ticketId: null,
          toAddress: `n${i}@example.com`,
          toName: null,
          subject: `Bulk ${i}`,
          text: 'x',
          html: null,
          attachments: [],
          at: clock.now(),
        })
    })
    const rows = await t.app.db.read.selectFrom('mail_previews').select(['subject']).orderBy('id').execute()
    expect(rows).toHaveLength(MAIL_PREVIEW_KEEP)
    expect(rows[0]!.subject).toBe('Bulk 5')
    expect(rows.at(-1)!.subject).toBe(`Bulk ${MAIL_PREVIEW_KEEP + 4}`)
  })

  it('delivers by SMTP and keeps nothing once SMTP_URL is set', async () => {
    const before = await t.app.db.read.selectFrom('mail_previews').select('id').execute()
    const sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    try {
      const asked = await anon.post('/api/v1/auth/password-reset', { email: 'ken@example.com' })
      expect(asked.body.message).not.toContain('Mail preview')
      await t.settle()
      expect(sink.messages.some((m) => m.to.includes('ken@example.com'))).toBe(true)
      expect(await t.app.db.read.selectFrom('mail_previews').select('id').execute()).toHaveLength(
        before.length,
      )
      expect(
        (await (await anon.as('admin@example.com')).get('/api/v1/admin/mail-preview')).body.delivering,
      ).toBe(true)
    } finally {
      t.app.config.mail.smtpUrl = undefined
      await sink.close()
    }
  })
})
