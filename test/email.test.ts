// The email channel end to end: real SMTP into the listener (nodemailer), real SMTP out to a sink.
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmtpListener, type SmtpListener } from '../src/mail/smtpListener.ts'
import { REPLY_MARKER } from '../src/mail/templates.ts'
import { Client } from './support/client.ts'
import { MailSink, until } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('email channel on %s', (kind) => {
  let t: TestServer
  let sink: MailSink
  let listener: SmtpListener
  let smtp: Transporter
  let john: Client
  let admin: Client
  let seq = 0
  const uniq = (s: string) => `${s} ${kind} ${++seq}`

  beforeAll(async () => {
    t = await startServer(kind)
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    listener = await startSmtpListener(t.app, 0, '127.0.0.1')
    smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      ignoreTLS: true,
    })
    const anon = new Client(t.url)
    john = await anon.as('john@example.com')
    admin = await anon.as('admin@example.com')
  })
  afterAll(async () => {
    smtp.close()
    await listener.close()
    await t.close()
    await sink.close()
  })

  async function ticketBySubject(subject: string) {
    return until(async () =>
      t.app.db.read.selectFrom('tickets').selectAll().where('subject', '=', subject).executeTakeFirst(),
    )
  }
  const inboundDone = (messageId: string) =>
    until(async () => {
      const row = await t.app.db.read
        .selectFrom('mail_message_ids')
        .select('ticket_id')
        .where('message_id', '=', messageId)
        .executeTakeFirst()
      return row
    })
  const autoresponseFor = (to: string, number: string) =>
    sink.waitFor((m) => m.to.includes(to) && (m.parsed.subject ?? '').includes(`[#${number}]`))

  it('files a mail as a ticket with its attachment, sanitised HTML and Cc collaborators, and auto-responds', async () => {
    const subject = uniq('Printer on fire')
    await smtp.sendMail({
      from: 'Ken Adams <ken@example.com>',
      to: 'support@example.com',
      cc: 'Lena Park <lena@example.com>',
      subject,
      text: 'The printer on floor 2 is on fire.',
      html: '<p onclick="steal()">The printer on <b>floor 2</b> is on fire.</p><script>alert(1)</script><img src="http://t.example/x.gif">',
      attachments: [{ filename: 'photo.txt', content: 'smoke everywhere' }],
    })
    const ticket = await ticketBySubject(subject)
    expect(ticket.source).toBe('email')

    const detail = await john.get(`/api/v1/tickets/${ticket.number}`)
    expect(detail.status).toBe(200)
    expect(detail.body.ticket.department.name).toBe('Support')
    expect(detail.body.thread[0].body).toContain('The printer on floor 2 is on fire.')
    const mail = await john.get(`/api/v1/tickets/${ticket.number}/mail`)
    const entry = mail.body.entries[0]
    expect(entry.html).toContain('<b>floor 2</b>')
    expect(entry.html).not.toMatch(/script|onclick|\ssrc="http/)
    // The remote image is kept without a src: nothing loads it until an agent asks.
    expect(entry.html).toContain('<img data-remote-src="http://t.example/x.gif" />')
    expect(entry.attachments).toEqual([expect.objectContaining({ filename: 'photo.txt', size: 16 })])
    const download = await fetch(
      `${t.url}/api/v1/tickets/${ticket.number}/attachments/${entry.attachments[0].id}`,
      {
        headers: { authorization: `Bearer ${john.token}` },
      },
    )
    expect(await download.text()).toBe('smoke everywhere')
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/)
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(mail.body.collaborators.map((c: { email: string }) => c.email)).toEqual(['lena@example.com'])
    expect(
      detail.body.events.map((e: { type: string; channel: string }) => `${e.type}/${e.channel}`),
    ).toEqual(['ticket.created/email', 'sla.plan_changed/email', 'collaborators.added/email'])

    // The requester's auto-response: number in the subject, automatic, marker, text and HTML, signed id.
    const auto = await autoresponseFor('ken@example.com', ticket.number)
    expect(auto.parsed.headers.get('auto-submitted')).toBe('auto-replied')
    expect(auto.parsed.text).toContain(REPLY_MARKER)
    expect(auto.parsed.html).toContain('Dear Ken Adams')
    expect(auto.parsed.messageId).toMatch(/^<sb\.\d+\.\d+\./)
    expect(
      sink.messages.some(
        (m) => m.to.includes('lena@example.com') && m.parsed.subject?.includes(ticket.number),
      ),
    ).toBe(false)

    // Lena, the collaborator, sees the ticket in the detail view and in her list: one rule for both.
    const lena = await new Client(t.url).as('lena@example.com')
    expect((await lena.get(`/api/v1/tickets/${ticket.number}`)).status).toBe(200)
    const lenaList = await lena.get('/api/v1/tickets')
    expect(lenaList.body.items.map((i: { number: string }) => i.number)).toContain(ticket.number)
  })

  it('lets a customer see a ticket exactly when they are its requester or a collaborator, in detail and lists', async () => {
    const subject = uniq('Lena only')
    const messageId = `<lena-only-${kind}@client.example>`
    await smtp.sendMail({
      from: 'lena@example.com',
      to: 'support@example.com',
      subject,
      text: 'Mine.',
      messageId,
    })
    const ticket = await ticketBySubject(subject)
    const ken = await new Client(t.url).as('ken@example.com')
    const sees = async () => {
      const detail = await ken.get(`/api/v1/tickets/${ticket.number}`)
      const list = await ken.get(`/api/v1/tickets?q=${encodeURIComponent('Lena only')}`)
      const listed = list.body.items.some((i: { number: string }) => i.number === ticket.number)
      expect(listed).toBe(detail.status === 200)
      if (detail.status !== 200) expect(detail.status).toBe(404)
      return listed
    }
    expect(await sees()).toBe(false)
    // Lena copies Ken in on her reply to our auto-response: its signed Message-ID proves the reply is hers
    // (a reply to her own Message-ID would not: anyone can write that, see test/mailIdentity.test.ts).
    const auto = await autoresponseFor('lena@example.com', ticket.number)
    await smtp.sendMail({
      from: 'lena@example.com',
      to: 'support@example.com',
      cc: 'ken@example.com',
      subject: `Re: ${subject}`,
      inReplyTo: auto.parsed.messageId!,
      text: 'Ken, have a look.',
    })
    await until(async () => {
      const rows = await t.app.db.read
        .selectFrom('ticket_collaborators')
        .select('user_id')
        .where('ticket_id', '=', ticket.id)
        .execute()
      return rows.length > 0 ? rows : undefined
    })
    expect(await sees()).toBe(true)
  })

  it('threads a reply to the auto-response into the same ticket and strips the quoted text', async () => {
    const subject = uniq('VPN drops')
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject,
      text: 'VPN drops every hour.',
    })
    const ticket = await ticketBySubject(subject)
    const auto = await autoresponseFor('ken@example.com', ticket.number)

    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject: `Re: ${auto.parsed.subject}`,
      inReplyTo: auto.parsed.messageId,
      references: [auto.parsed.messageId!],
      text: `It happened again at noon.\n\nOn Monday, Support wrote:\n> ${REPLY_MARKER}\n> Dear Ken Adams, we received your request`,
    })
    const thread = await until(async () => {
      const d = await john.get(`/api/v1/tickets/${ticket.number}`)
      return d.body.thread.length === 2 ? d.body.thread : undefined
    })
    expect(thread[1].body).toBe('It happened again at noon.')
    const count = await t.app.db.read
      .selectFrom('tickets')
      .select('id')
      .where('subject', 'like', 'Re:%VPN drops%')
      .execute()
    expect(count).toEqual([])
  })

  it("emails an agent's public reply to the requester and collaborators, and never an internal note", async () => {
    const subject = uniq('Invoice question')
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      cc: 'lena@example.com',
      subject,
      text: 'Why two invoices?',
    })
    const ticket = await ticketBySubject(subject)
    await autoresponseFor('ken@example.com', ticket.number)

    const note = await john.post(`/api/v1/tickets/${ticket.number}/messages`, {
      body: 'SECRET-NOTE customer is a reseller',
      internal: true,
    })
    expect(note.status).toBe(201)
    const reply = await john.post(`/api/v1/tickets/${ticket.number}/messages`, {
      body: 'We merged them into one.',
    })
    expect(reply.status).toBe(201)

    const toKen = await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && (m.parsed.text ?? '').includes('We merged them'),
    )
    const toLena = await sink.waitFor(
      (m) => m.to.includes('lena@example.com') && (m.parsed.text ?? '').includes('We merged them'),
    )
    expect(toKen.parsed.subject).toContain(`[#${ticket.number}]`)
    expect(toKen.parsed.headers.get('auto-submitted')).toBeUndefined()
    expect(toKen.parsed.html).toContain('We merged them into one.')
    expect(toLena.parsed.messageId).not.toBe(toKen.parsed.messageId)
    // The reply was enqueued after the note, so by now the note would have been sent too.
    expect(
      sink.messages.filter(
        (m) =>
          m.raw.includes('SECRET-NOTE') &&
          !m.to.every(
            (a) => a.endsWith('@example.com') && ['john', 'jane', 'sam', 'admin'].includes(a.split('@')[0]!),
          ),
      ),
    ).toEqual([])
  })

  it('files an Auto-Submitted message without an auto-response', async () => {
    const autoSubject = uniq('Out of office')
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject: autoSubject,
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    })
    const autoTicket = await ticketBySubject(autoSubject)
    // A normal mail after it: once its auto-response arrived, the first one would have too.
    const subject = uniq('Real question')
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject,
      text: 'A real question.',
    })
    const ticket = await ticketBySubject(subject)
    await autoresponseFor('ken@example.com', ticket.number)
    const toKen = sink.messages.filter((m) => m.to.includes('ken@example.com'))
    expect(toKen.filter((m) => (m.parsed.subject ?? '').includes(`[#${autoTicket.number}]`))).toEqual([])
  })

  it("does not put a stranger's mail that quotes [#number] into that ticket", async () => {
    const subject = uniq('Payroll')
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject,
      text: 'Payroll is late.',
    })
    const ticket = await ticketBySubject(subject)
    const strangerSubject = `Re: [#${ticket.number}] ${subject}`
    await smtp.sendMail({
      from: 'mallory@evil.example',
      to: 'support@example.com',
      subject: strangerSubject,
      text: 'Let me in.',
    })
    const other = await ticketBySubject(strangerSubject)
    expect(other.number).not.toBe(ticket.number)
    const d = await john.get(`/api/v1/tickets/${ticket.number}`)
    expect(d.body.thread.map((e: { body: string }) => e.body)).not.toContain('Let me in.')
    // The requester's own [#number] reply does thread.
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject: `Re: [#${ticket.number}]`,
      text: 'Still late.',
    })
    await until(async () => {
      const again = await john.get(`/api/v1/tickets/${ticket.number}`)
      return again.body.thread.length === 2 ? true : undefined
    })
  })

  it('makes one ticket of the same Message-ID delivered twice', async () => {
    const subject = uniq('Twice')
    const messageId = `<twice-${kind}-${Date.now()}@client.example>`
    for (let i = 0; i < 2; i++)
      await smtp.sendMail({
        from: 'ken@example.com',
        to: 'support@example.com',
        subject,
        text: 'Once.',
        messageId,
      })
    await inboundDone(messageId)
    await listener.idle()
    const rows = await t.app.db.read
      .selectFrom('tickets')
      .select('id')
      .where('subject', '=', subject)
      .execute()
    expect(rows).toHaveLength(1)
    const statuses = await t.app.db.read
      .selectFrom('inbound_mail')
      .select('status')
      .where('status', 'in', ['done', 'duplicate'])
      .execute()
    expect(statuses.some((s) => s.status === 'duplicate')).toBe(true)
  })

  it("files an agent's mail as an internal note only when it answers that agent's alert", async () => {
    const subject = uniq('Disk full')
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject,
      text: 'Disk is full.',
    })
    const ticket = await ticketBySubject(subject)
    const alert = await sink.waitFor(
      (m) => m.to.includes('john@example.com') && (m.parsed.subject ?? '').includes(`[#${ticket.number}]`),
    )
    expect(alert.parsed.headers.get('auto-submitted')).toBe('auto-replied')

    await smtp.sendMail({
      from: 'john@example.com',
      to: 'support@example.com',
      subject: `Re: ${alert.parsed.subject}`,
      inReplyTo: alert.parsed.messageId,
      text: 'Checked: it is the log partition.',
    })
    const entry = await until(async () => {
      const d = await john.get(`/api/v1/tickets/${ticket.number}`)
      return d.body.thread.find((e: { body: string }) => e.body.startsWith('Checked'))
    })
    expect(entry.kind).toBe('note')
    const ken = await new Client(t.url).as('ken@example.com')
    const seen = await ken.get(`/api/v1/tickets/${ticket.number}`)
    expect(seen.body.thread.map((e: { body: string }) => e.body)).not.toContain(
      'Checked: it is the log partition.',
    )

    // A forged From: john without his alert's Message-ID is refused into failed mail, and an admin can see it.
    await smtp.sendMail({
      from: 'john@example.com',
      to: 'support@example.com',
      subject: `Re: [#${ticket.number}]`,
      text: 'Close it.',
    })
    const failed = await until(async () => {
      const list = await admin.get('/api/v1/admin/failed-mail')
      return list.body.items.find((i: { error: string }) => i.error.startsWith('agent_unverified'))
    })
    expect(failed.sender).toBe('john@example.com')
    const retried = await admin.post(`/api/v1/admin/failed-mail/${failed.id}/retry`)
    expect(retried.status).toBe(200)
    expect(retried.body.status).toBe('failed')
    expect((await john.get('/api/v1/admin/failed-mail')).status).toBe(403)
  })

  it('uses the templates admins edit, and the alerts each agent switched on', async () => {
    const bad = await admin.request('PUT', '/api/v1/admin/mail-templates/autoresponse', {
      subject: 'x {{ticket.secret}}',
      body: 'y',
    })
    expect(bad.status).toBe(400)
    const put = await admin.request('PUT', '/api/v1/admin/mail-templates/autoresponse', {
      subject: 'Got it [#{{ticket.number}}] {{ticket.subject}}',
      body: 'Hi {{recipient.name}} <b>{{recipient.email}}</b>, see {{ticket.link}}',
    })
    expect(put.status).toBe(200)
    const off = await john.request('PUT', '/api/v1/me/mail-alerts', { new_ticket: false })
    expect(off.status).toBe(204)
    expect((await john.get('/api/v1/me/mail-alerts')).body).toMatchObject({
      new_ticket: false,
      assigned: true,
    })
    try {
      const quiet = uniq('Template check')
      await smtp.sendMail({
        from: 'Ken Adams <ken@example.com>',
        to: 'support@example.com',
        subject: quiet,
        text: 'Hi.',
      })
      const quietTicket = await ticketBySubject(quiet)
      const auto = await autoresponseFor('ken@example.com', quietTicket.number)
      expect(auto.parsed.subject).toBe(`Got it [#${quietTicket.number}] ${quiet}`)
      expect(auto.parsed.text).toContain(`Hi Ken Adams <b>ken@example.com</b>, see http`)
      expect(auto.parsed.html).toContain('&#60;b&#62;ken@example.com&#60;/b&#62;')

      await john.request('PUT', '/api/v1/me/mail-alerts', { new_ticket: true })
      const loud = uniq('Template check')
      await smtp.sendMail({ from: 'ken@example.com', to: 'support@example.com', subject: loud, text: 'Hi.' })
      const loudTicket = await ticketBySubject(loud)
      await sink.waitFor(
        (m) => m.to.includes('john@example.com') && (m.parsed.subject ?? '').includes(loudTicket.number),
      )
      // Outbox rows are delivered in order, so an alert about the first ticket would have arrived by now.
      expect(
        sink.messages.filter(
          (m) => m.to.includes('john@example.com') && (m.parsed.subject ?? '').includes(quietTicket.number),
        ),
      ).toEqual([])
    } finally {
      const { DEFAULT_TEMPLATES } = await import('../src/mail/templates.ts')
      await admin.request('PUT', '/api/v1/admin/mail-templates/autoresponse', DEFAULT_TEMPLATES.autoresponse)
      await john.request('PUT', '/api/v1/me/mail-alerts', { new_ticket: true })
    }
  })

  it('refuses mail for addresses that are not intake addresses', async () => {
    await expect(
      smtp.sendMail({ from: 'ken@example.com', to: 'nobody@example.com', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550/)
  })

  it('stops auto-responding to a sender over the hourly limit, and still files the mail', async () => {
    t.app.config.mail.senderHourlyLimit = 2
    try {
      const numbers: string[] = []
      for (let i = 0; i < 3; i++) {
        const subject = uniq('Loop')
        await smtp.sendMail({ from: 'bot@loop.example', to: 'support@example.com', subject, text: 'Ping.' })
        numbers.push((await ticketBySubject(subject)).number)
      }
      await autoresponseFor('bot@loop.example', numbers[1]!)
      // A sentinel from someone else: by the time it is answered, a third auto-response would have gone out.
      const subject = uniq('Sentinel')
      await smtp.sendMail({
        from: 'sentinel@example.com',
        to: 'support@example.com',
        subject,
        text: 'Hello.',
      })
      await autoresponseFor('sentinel@example.com', (await ticketBySubject(subject)).number)
      expect(sink.messages.filter((m) => m.to.includes('bot@loop.example'))).toHaveLength(2)
    } finally {
      t.app.config.mail.senderHourlyLimit = 30
    }
  })

  it('mails a password reset link that signs the account in with a new password, once', async () => {
    const anon = new Client(t.url)
    expect((await anon.post('/api/v1/auth/password-reset', { email: 'lena@example.com' })).status).toBe(202)
    const mail = await sink.waitFor(
      (m) => m.to.includes('lena@example.com') && m.parsed.subject === 'Reset your password',
    )
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    const link = /https?:\/\/\S+/.exec(mail.parsed.text ?? '')![0]
    const token = new URL(link).hash.replace(/^#(token=)?/, '')
    expect(token.length).toBeGreaterThan(20)
    const confirm = await anon.post('/api/v1/auth/password-reset/confirm', {
      token,
      newPassword: 'a-new-password-1',
    })
    expect(confirm.status).toBe(204)
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'lena@example.com', password: 'a-new-password-1' }))
        .status,
    ).toBe(200)
    const again = await anon.post('/api/v1/auth/password-reset/confirm', {
      token,
      newPassword: 'another-password-2',
    })
    expect(again.status).toBe(400)
  })

  it('records every mail setting change as an event, and refuses an unknown department with 400', async () => {
    const mailbox = {
      name: 'Nowhere',
      host: '127.0.0.1',
      port: 143,
      secure: false,
      username: 'u',
      password: 'a-mailbox-secret',
      departmentId: 999_999,
    }
    const bad = await admin.post('/api/v1/admin/mailboxes', mailbox)
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('unknown_department')
    const badAddress = await admin.request('PUT', '/api/v1/admin/intake-addresses/sales@example.com', {
      departmentId: 999_999,
    })
    expect(badAddress.body.error.code).toBe('unknown_department')
    const ok = await admin.request('PUT', '/api/v1/admin/intake-addresses/sales@example.com', {
      departmentId: 1,
    })
    expect(ok.status).toBe(204)
    const events = await t.app.db.read
      .selectFrom('events')
      .select(['type', 'after'])
      .where('type', 'like', 'admin.%')
      .execute()
    expect(events.map((e) => e.type)).toContain('admin.intake_address.set')
    expect(JSON.stringify(events)).not.toContain('a-mailbox-secret')
  })
})
