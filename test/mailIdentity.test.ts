// Issue 9: email is not identity. A From header proves nothing, a Message-ID we merely know is no secret, and
// the subject's [#number] is printed on every mail: none of them may add a collaborator or change who sees a
// ticket. Only our signed Message-ID, or an Authentication-Results pass from an MTA the intake address
// trusts, vouches for a sender. Also: one form of an address (NFC, no look-alikes), remote images, the
// truncation marker and mime_too_complex. On every database, with real SMTP in and out.
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../src/mail/receiveEmail.ts'
import { startSmtpListener, type SmtpListener } from '../src/mail/smtpListener.ts'
import { Client } from './support/client.ts'
import { MailSink, until } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const MALLORY = 'mallory@evil.test'

describe.each(DATABASES)('email is not identity on %s', (kind) => {
  let t: TestServer
  let sink: MailSink
  let listener: SmtpListener
  let smtp: Transporter
  let anon: Client
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
    anon = new Client(t.url)
    john = await anon.as('john@example.com')
    admin = await anon.as('admin@example.com')
  })
  afterAll(async () => {
    smtp.close()
    await listener.close()
    await t.close()
    await sink.close()
  })

  /**
   * A raw RFC 822 message (UTF-8 headers, RFC 6532), delivered through receiveEmail as the SMTP listener would,
   * with the envelope. `top`: header lines above the rest, where the receiving MTA puts its own.
   */
  function deliver(
    headers: Record<string, string>,
    body = 'Hello.',
    envelopeTo = ['support@example.com'],
    top: string[] = [],
  ) {
    const lines = [
      ...top,
      ...Object.entries({
        'Message-ID': `<m${++seq}.${kind}.${Date.now()}@client.example>`,
        To: 'support@example.com',
        ...headers,
      }).map(([k, v]) => `${k}: ${v}`),
    ]
    const raw = Buffer.from(
      `${lines.join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
    )
    return receiveEmail(t.app, raw, { source: 'smtp', envelopeTo })
  }

  /** Ken opens a ticket by mail: its number, and the Message-ID we now know (his). */
  async function kensTicket(): Promise<{ number: string; id: number; messageId: string }> {
    const messageId = `<kens.${kind}.${++seq}@mail.example.com>`
    const outcome = await deliver(
      { From: 'Ken Adams <ken@example.com>', Subject: uniq('Salary slip'), 'Message-ID': messageId },
      'My salary slip is wrong.',
    )
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome))
    const row = await t.app.db.read
      .selectFrom('tickets')
      .select(['id', 'number'])
      .where('number', '=', outcome.ticketNumber)
      .executeTakeFirstOrThrow()
    return { number: row.number, id: row.id, messageId }
  }

  /** Everybody who may see the ticket as a customer: its requester and collaborators, by address. */
  async function customersOf(ticketId: number): Promise<string[]> {
    const rows = await t.app.db.read
      .selectFrom('users as u')
      .select('u.email')
      .where((eb) =>
        eb.or([
          eb('u.id', 'in', eb.selectFrom('tickets').select('requester_id').where('id', '=', ticketId)),
          eb(
            'u.id',
            'in',
            eb.selectFrom('ticket_collaborators').select('user_id').where('ticket_id', '=', ticketId),
          ),
        ]),
      )
      .orderBy('u.email')
      .execute()
    return rows.map((r) => r.email)
  }
  const threadOf = async (number: string) =>
    (await john.get(`/api/v1/tickets/${number}`)).body.thread as any[]
  const accountOf = (email: string) =>
    t.app.db.read.selectFrom('users').select(['id', 'email']).where('email', '=', email).executeTakeFirst()

  it('a forged From on a [#number] reply adds a message flagged "unverified sender", and its Cc gets nothing (the attack as filed)', async () => {
    const subject = uniq('hello')
    await smtp.sendMail({
      from: 'Ken <ken@example.com>',
      to: 'support@example.com',
      subject,
      text: 'My real question.',
    })
    const ticket = await until(async () =>
      t.app.db.read
        .selectFrom('tickets')
        .select(['id', 'number'])
        .where('subject', '=', subject)
        .executeTakeFirst(),
    )
    await t.settle()

    // Mallory forges Ken's From on a reply that threads only by the subject token, and copies herself in.
    await smtp.sendMail({
      from: 'Ken <ken@example.com>',
      to: 'support@example.com',
      cc: MALLORY,
      subject: `Re: [#${ticket.number}] hello`,
      text: 'Please send the invoice to my new address, mallory@evil.test.',
    })
    const thread = await until(async () => {
      const entries = await threadOf(ticket.number)
      return entries.length === 2 ? entries : undefined
    })
    // The message is kept (it may really be Ken's) but agents see that nothing vouched for its sender.
    expect(thread[1].author.name).toBe('Ken Adams')
    expect(thread[0].unverifiedSender).toBe(true)
    expect(thread[1].unverifiedSender).toBe(true)
    // Nobody was added: no collaborator, no account for Mallory, the same people see the ticket.
    expect((await john.get(`/api/v1/tickets/${ticket.number}/collaborators`)).body.items).toEqual([])
    expect(await customersOf(ticket.id)).toEqual(['ken@example.com'])
    expect(await accountOf(MALLORY)).toBeUndefined()

    // She then asks for a ticket link for her own address: nothing is mailed to her.
    const asked = await anon.post('/api/v1/auth/ticket-link', { email: MALLORY, number: ticket.number })
    expect(asked.status).toBe(202)
    // And the agent's answer goes to Ken alone.
    expect(
      (await john.post(`/api/v1/tickets/${ticket.number}/messages`, { body: 'Which address?' })).status,
    ).toBe(201)
    await t.settle()
    await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && (m.parsed.text ?? '').includes('Which address?'),
    )
    expect(sink.messages.filter((m) => m.to.includes(MALLORY))).toEqual([])
  })

  it('never lets a stranger in To, Reply-To or a forged References into the ticket', async () => {
    const ticket = await kensTicket()
    // The stranger in To: and in Reply-To:, on a forged [#number] reply.
    await deliver(
      { From: 'ken@example.com', To: `support@example.com, ${MALLORY}`, Subject: `Re: [#${ticket.number}]` },
      'To variant.',
    )
    await deliver(
      { From: 'ken@example.com', 'Reply-To': MALLORY, Subject: `Re: [#${ticket.number}]` },
      'Reply-To variant.',
    )
    // A forged References naming Ken's real Message-ID: known to us, but no secret. Mallory as herself…
    const asHerself = await deliver(
      {
        From: MALLORY,
        'In-Reply-To': ticket.messageId,
        References: ticket.messageId,
        Subject: 'Re: Salary slip',
      },
      'Let me in.',
    )
    // … and as Ken, with herself on Cc.
    await deliver(
      { From: 'ken@example.com', Cc: MALLORY, References: ticket.messageId, Subject: 'Re: Salary slip' },
      'References variant.',
    )
    // A Message-ID in our signed format whose signature is made up.
    await deliver(
      {
        From: MALLORY,
        'In-Reply-To': `<sb.${ticket.id}.1.abc.AAAAAAAAAAAAAAAAAAAAAAAA@example.com>`,
        Subject: `Re: [#${ticket.number}]`,
      },
      'Forged signature.',
    )

    expect(await customersOf(ticket.id)).toEqual(['ken@example.com'])
    const bodies = (await threadOf(ticket.number)).map((e) => e.body.trim())
    expect(bodies).toEqual([
      'My salary slip is wrong.',
      'To variant.',
      'Reply-To variant.',
      'References variant.',
    ])
    // Mallory's own mails became tickets of her own, which Ken's collaborators list never learns of.
    expect(asHerself.status).toBe('done')
    expect(asHerself.status === 'done' && asHerself.ticketNumber).not.toBe(ticket.number)
  })

  it('lets a reply to our signed Message-ID add the people on Cc, as events on the email channel', async () => {
    const subject = uniq('Laptop')
    await smtp.sendMail({
      from: 'Ken Adams <ken@example.com>',
      to: 'support@example.com',
      subject,
      text: 'Laptop broke.',
    })
    const ticket = await until(async () =>
      t.app.db.read
        .selectFrom('tickets')
        .select(['id', 'number'])
        .where('subject', '=', subject)
        .executeTakeFirst(),
    )
    const auto = await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && (m.parsed.subject ?? '').includes(`[#${ticket.number}]`),
    )
    const outcome = await deliver(
      {
        From: 'ken@example.com',
        Cc: 'lena@example.com',
        'In-Reply-To': auto.parsed.messageId!,
        Subject: `Re: ${auto.parsed.subject}`,
      },
      'Lena knows the details.',
    )
    expect(outcome.status).toBe('done')
    expect(await customersOf(ticket.id)).toEqual(['ken@example.com', 'lena@example.com'])
    const detail = await john.get(`/api/v1/tickets/${ticket.number}`)
    expect(detail.body.thread[1].unverifiedSender).toBe(false) // signed for Ken, from Ken
    const added = detail.body.events.filter((e: any) => e.type === 'collaborators.added')
    expect(added.map((e: any) => e.channel)).toEqual(['email'])
    // Customers are never told what agents are told about senders.
    const lena = await anon.as('lena@example.com')
    const hers = await lena.get(`/api/v1/tickets/${ticket.number}`)
    expect(hers.status).toBe(200)
    expect(hers.body.thread.every((e: any) => !('unverifiedSender' in e))).toBe(true)
  })

  describe('Authentication-Results, believed only from the authserv-ids an intake address trusts', () => {
    it('adds Cc from a verified requester on a [#number] reply, and ignores untrusted, misaligned or buried verdicts', async () => {
      const departments = await admin.get('/api/v1/admin/intake-addresses')
      const support = departments.body.items.find((a: any) => a.address === 'support@example.com')
      const trust = (ids: string[]) =>
        admin.request('PUT', '/api/v1/admin/intake-addresses/support@example.com', {
          departmentId: support.departmentId,
          trustedAuthservIds: ids,
        })
      expect((await trust(['MX.Example.NET'])).status).toBe(204)
      const listed = await admin.get('/api/v1/admin/intake-addresses')
      expect(
        listed.body.items.find((a: any) => a.address === 'support@example.com').trustedAuthservIds,
      ).toEqual(['mx.example.net'])
      expect((await trust(['not an id'])).status).toBe(400)

      const ticket = await kensTicket()
      const reply = (ar: string[], extra: Record<string, string> = {}, envelope?: string[]) =>
        deliver(
          { From: 'ken@example.com', Cc: 'lena@example.com', Subject: `Re: [#${ticket.number}]`, ...extra },
          `reply ${++seq}`,
          envelope,
          ar.map((v) => `Authentication-Results: ${v}`),
        )
      // Not believed: an authserv-id nobody trusts, a pass for another domain, a fail on top of a forged pass,
      // and a trusted verdict on mail delivered to an address that trusts nobody (whatever its To says).
      await reply(['mx.evil.test; dmarc=pass header.from=example.com'])
      await reply(['mx.example.net; dkim=pass header.d=evil.test; spf=pass smtp.mailfrom=bounce@evil.test'])
      await reply([
        'mx.example.net; dmarc=fail header.from=example.com',
        'mx.example.net; dmarc=pass header.from=example.com',
      ])
      await t.app.db.writer
        .insertInto('intake_addresses')
        .values({ address: 'sales@example.com', department_id: support.departmentId, created_at: Date.now() })
        .execute()
      await reply(['mx.example.net; dmarc=pass header.from=example.com'], { To: 'support@example.com' }, [
        'sales@example.com',
      ])
      expect(await customersOf(ticket.id)).toEqual(['ken@example.com'])
      let thread = await threadOf(ticket.number)
      expect(thread.slice(1).map((e) => e.unverifiedSender)).toEqual([true, true, true, true])

      // Believed: the trusted MTA's DMARC pass for example.com (comments and case as real MTAs write them).
      await reply([
        'mx.example.net (Postfix);\r\n\tdkim=pass (2048-bit key) header.d=Example.com header.s=s1;\r\n\tdmarc=pass (p=REJECT) header.from=example.com',
      ])
      expect(await customersOf(ticket.id)).toEqual(['ken@example.com', 'lena@example.com'])
      thread = await threadOf(ticket.number)
      expect(thread.at(-1).unverifiedSender).toBe(false)
      await trust([])
    })
  })

  describe('one form of an address', () => {
    it('makes one account of josé@example.org written in NFC and in NFD, by mail and through the API', async () => {
      const nfc = 'jos\u00e9@example.org'
      const nfd = 'jose\u0301@example.org'
      const first = await deliver({ From: `José <${nfc}>`, Subject: uniq('Acentos') })
      const second = await deliver({ From: `José <${nfd}>`, Subject: uniq('Acentos') })
      expect([first.status, second.status]).toEqual(['done', 'done'])
      const requesters = await t.app.db.read
        .selectFrom('tickets as t')
        .innerJoin('users as u', 'u.id', 't.requester_id')
        .select('u.email')
        .where(
          't.number',
          'in',
          [first, second].map((o) => (o.status === 'done' ? o.ticketNumber : '')),
        )
        .execute()
      expect(requesters).toEqual([{ email: nfc }, { email: nfc }])
      const viaApi = await john.post('/api/v1/tickets', {
        subject: 'From the API',
        message: 'x',
        requester: { email: nfd.toUpperCase() },
      })
      expect(viaApi.status).toBe(201)
      expect(viaApi.body.ticket.requester.email).toBe(nfc)
      const accounts = await t.app.db.read
        .selectFrom('users')
        .select('email')
        .where('email', 'like', 'jos%@example.org')
        .execute()
      expect(accounts).toEqual([{ email: nfc }])
      const twin = await admin.post('/api/v1/admin/customers', { name: 'José again', email: nfd })
      expect(twin.status).toBe(409)
    })

    it('refuses kеn@example.com with a Cyrillic е: failed mail and 400, with the same code', async () => {
      const lookalike = 'k\u0435n@example.com'
      const outcome = await deliver({ From: lookalike, Subject: uniq('I am Ken') })
      expect(outcome).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^confusable_address: /),
      })
      expect(await accountOf(lookalike)).toBeUndefined()
      const failed = await admin.get('/api/v1/admin/failed-mail')
      expect(failed.body.items[0]).toMatchObject({
        error: expect.stringMatching(/^confusable_address/),
        retryable: true,
      })

      for (const [path, body] of [
        ['/api/v1/tickets', { subject: 's', message: 'm', requester: { email: lookalike } }],
        ['/api/v1/admin/customers', { name: 'Not Ken', email: lookalike }],
      ] as const) {
        const who = path.includes('admin') ? admin : john
        const res = await who.post(path, body)
        expect([res.status, res.body.error.code]).toEqual([400, 'confusable_address'])
      }
      // Fullwidth letters and whole-script look-alikes too; real names in other scripts are fine.
      for (const bad of [
        '\uff4b\uff45\uff4e@example.com',
        '\u0440\u0430\u0443\u0440\u0430l@example.com',
        'ken@\u0435xample.com',
      ])
        expect(
          (await john.post('/api/v1/tickets', { subject: 's', message: 'm', requester: { email: bad } })).body
            .error.code,
        ).toBe('confusable_address')
      for (const good of ['müller@example.de', '\u043a\u0435\u043d@example.ru'])
        expect(
          (await john.post('/api/v1/tickets', { subject: 's', message: 'm', requester: { email: good } }))
            .status,
        ).toBe(201)
    })
  })

  describe('what is kept of a mail', () => {
    it('makes remote images unloadable (data-remote-src, no src) and keeps cid: images', async () => {
      const boundary = 'b1'
      const raw = Buffer.from(
        [
          'From: ken@example.com',
          'To: support@example.com',
          `Subject: ${uniq('Pixels')}`,
          `Content-Type: multipart/alternative; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain',
          '',
          'See the picture.',
          `--${boundary}`,
          'Content-Type: text/html',
          '',
          '<p>See <img src="https://track.example/p.gif?u=ken" width="1"><img src="http://track.example/2.gif"><img src="//track.example/3.gif"><img src="data:image/gif;base64,R0lGOD"><img src="cid:photo1@client" alt="photo"></p>',
          `--${boundary}--`,
          '',
        ].join('\r\n'),
      )
      const outcome = await receiveEmail(t.app, raw, { source: 'smtp', envelopeTo: ['support@example.com'] })
      if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome))
      const mail = await john.get(`/api/v1/tickets/${outcome.ticketNumber}/mail`)
      const html: string = mail.body.entries[0].html
      expect(html).not.toMatch(/\ssrc="(https?:)?\/\/|src="data:/)
      expect(html).toContain('data-remote-src="https://track.example/p.gif?u=ken"')
      expect(html).toContain('data-remote-src="https://track.example/3.gif"')
      expect(html).toContain('<img src="cid:photo1@client" alt="photo" />')
    })

    it('cuts a body over 200,000 characters and says so in the thread', async () => {
      const body = `${'The log follows. '.repeat(5)}${'x'.repeat(250_000)}`
      const outcome = await deliver({ From: 'ken@example.com', Subject: uniq('Huge log') }, body)
      if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome))
      const [entry] = await threadOf(outcome.ticketNumber)
      expect(entry.body.length).toBeLessThanOrEqual(200_000)
      const m = /\n\n\[message truncated: (\d+) characters not shown\]$/.exec(entry.body)
      expect(m).not.toBeNull()
      const kept = entry.body.length - m![0].length
      expect(kept + Number(m![1])).toBe(body.length + 1) // + the line end the raw message put after it
      expect(entry.body.startsWith('The log follows.')).toBe(true)
    })

    it('fails MIME beyond the parser’s limits as mime_too_complex, and does not offer a retry that cannot work', async () => {
      let raw = `From: ken@example.com\r\nTo: support@example.com\r\nSubject: ${uniq('Parts')}\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n`
      for (let i = 0; i < 1100; i++) raw += '--p\r\nContent-Type: text/plain\r\n\r\nx\r\n'
      raw += '--p--\r\n'
      const outcome = await receiveEmail(t.app, Buffer.from(raw), {
        source: 'smtp',
        envelopeTo: ['support@example.com'],
      })
      expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/^mime_too_complex: /) })
      const failed = await admin.get('/api/v1/admin/failed-mail')
      expect(failed.body.items.find((m: any) => m.id === outcome.inboundId)).toMatchObject({
        retryable: false,
      })
      const retry = await admin.post(`/api/v1/admin/failed-mail/${outcome.inboundId}/retry`)
      expect([retry.status, retry.body.error?.code]).toEqual([409, 'not_retryable'])
    })
  })

  describe('collaborators, visible and manageable', () => {
    it('lists, adds by email (creating the customer) and removes, each an event with its channel', async () => {
      const ken = await kensTicket()
      const path = `/api/v1/tickets/${ken.number}/collaborators`
      const added = await john.post(path, { email: 'LENA@example.com' })
      expect(added.status).toBe(201)
      expect(added.body.collaborator).toMatchObject({ email: 'lena@example.com', name: 'Lena Park' })
      expect((await john.post(path, { email: 'lena@example.com' })).status).toBe(200)
      const fresh = await john.post(path, { email: 'new.person@example.net', name: 'New Person' })
      expect([fresh.status, fresh.body.collaborator.name]).toEqual([201, 'New Person'])
      expect((await john.get(path)).body.items.map((c: any) => c.email)).toEqual([
        'lena@example.com',
        'new.person@example.net',
      ])

      for (const [email, code] of [
        ['sam@example.com', 'collaborator_is_agent'],
        ['ken@example.com', 'collaborator_is_requester'],
        ['not an address', 'validation_failed'],
      ])
        expect((await john.post(path, { email })).body.error.code).toBe(code)

      const lena = await anon.as('lena@example.com')
      expect((await lena.get(`/api/v1/tickets/${ken.number}`)).status).toBe(200)
      expect((await lena.get(path)).status).toBe(200)
      expect((await lena.post(path, { email: 'x@example.com' })).status).toBe(403)

      const removed = await john.request('DELETE', `${path}/${added.body.collaborator.id}`)
      expect(removed.status).toBe(204)
      expect((await lena.get(`/api/v1/tickets/${ken.number}`)).status).toBe(404)
      expect((await john.request('DELETE', `${path}/${added.body.collaborator.id}`)).status).toBe(404)

      const events = (await john.get(`/api/v1/tickets/${ken.number}`)).body.events
        .filter((e: any) => e.type.startsWith('collaborators.'))
        .map((e: any) => `${e.type}/${e.channel}`)
      expect(events).toEqual([
        'collaborators.added/api',
        'collaborators.added/api',
        'collaborators.removed/api',
      ])
    })
  })
})
