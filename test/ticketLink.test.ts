// "Check a ticket's status" without a password: an email and a ticket number get a single-use sign-in link
// mailed to the account (through a real SMTP sink), never the ticket itself. On every database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../src/commands/auth.ts'
import { Client } from './support/client.ts'
import { MailSink } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const MINUTE = 60_000
const NEUTRAL = {
  message: 'If that ticket is yours, we sent a link to that address. It works once, for 30 minutes.',
}

describe.each(DATABASES)("checking a ticket's status by email and number on %s", (kind) => {
  let t: TestServer
  let sink: MailSink
  let anon: Client
  let offset = 0
  const clock = { now: () => Date.now() + offset }

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    anon = new Client(t.url)
  })
  afterAll(async () => {
    await t.close()
    await sink.close()
  })

  const ask = (email: unknown, number: unknown) => anon.post('/api/v1/auth/ticket-link', { email, number })
  const redeem = (token: string) => anon.post('/api/v1/auth/ticket-link/redeem', { token })
  const linkMails = (to: string) =>
    sink.messages.filter(
      (m) => m.to.includes(to) && (m.parsed.subject ?? '').startsWith('Your link to ticket'),
    )
  /** Delivers the outbox, then returns the token of the newest link mailed to `to` (there must be `count`). */
  async function tokenMailedTo(to: string, count: number): Promise<string> {
    await t.settle()
    const mails = linkMails(to)
    expect(mails).toHaveLength(count)
    const mail = mails[mails.length - 1]!
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    const link = new URL(/https?:\/\/\S+/.exec(mail.parsed.text ?? '')![0])
    expect(link.pathname).toBe('/portal/ticket-link')
    expect(link.search).toBe('')
    return new URLSearchParams(link.hash.slice(1)).get('token')!
  }
  const open = async (who: Client, subject: string) =>
    (await who.post('/api/v1/tickets', { subject, message: 'Where is my order?' })).body.ticket
      .number as string

  it('answers alike whatever matched, and mails a link only to the requester of the ticket', async () => {
    const ken = await anon.as('ken@example.com')
    const lena = await anon.as('lena@example.com')
    const kens = await open(ken, 'Parcel never arrived')
    const lenas = await open(lena, 'Invoice copy')

    const match = await ask('ken@example.com', kens)
    expect(match.status).toBe(202)
    expect(match.body).toEqual(NEUTRAL)
    const setLenaActive = (active: boolean) =>
      t.app.db.writer
        .updateTable('users')
        .set({ is_active: active ? 1 : 0 })
        .where('email', '=', 'lena@example.com')
        .execute()
    const others = [
      await ask('nobody@example.com', kens), // no account
      await ask('lena@example.com', kens), // a customer, but not this ticket's
      await ask('john@example.com', kens), // an agent
      await ask('ken@example.com', '99999999'), // no such ticket
      await ask('not an email', kens),
      await ask('ken@example.com', `${kens}\u0000`), // not a ticket number (PostgreSQL refuses NUL)
    ]
    await setLenaActive(false)
    others.push(await ask('lena@example.com', lenas)) // her ticket, but her account is disabled
    await setLenaActive(true)
    for (const other of others) {
      expect([other.status, other.body]).toEqual([match.status, match.body])
      expect(other.headers.get('content-type')).toBe(match.headers.get('content-type'))
    }
    // "#1234" works as well as "1234".
    expect((await ask('KEN@example.com', `#${kens}`)).body).toEqual(NEUTRAL)

    const token = await tokenMailedTo('ken@example.com', 2)
    expect(linkMails('lena@example.com')).toHaveLength(0)
    expect(linkMails('john@example.com')).toHaveLength(0)
    const mail = linkMails('ken@example.com')[0]!
    expect(mail.parsed.subject).toBe(`Your link to ticket #${kens}`)
    expect(mail.parsed.text).toContain('Parcel never arrived')
    // Only a hash of the token is stored, and links last 30 minutes.
    const stored = await t.app.db.read.selectFrom('ticket_links').selectAll().execute()
    expect(stored).toHaveLength(2)
    expect(stored.map((r) => r.token_hash)).toContain(sha256(token))
    expect(JSON.stringify(stored)).not.toContain(token)
    expect(stored.every((r) => r.expires_at - r.created_at === 30 * MINUTE)).toBe(true)
    const requested = await t.app.db.read
      .selectFrom('events')
      .select(['actor_id', 'ip', 'after'])
      .where('type', '=', 'auth.ticket_link_requested')
      .execute()
    expect(requested).toHaveLength(9)
    expect(requested.every((e) => e.ip === '127.0.0.1')).toBe(true)
    expect(requested.filter((e) => JSON.parse(e.after!).sent === true)).toHaveLength(2)
  })

  it('signs the customer in once from the link, and refuses used, expired and unknown links', async () => {
    const ken = await anon.as('ken@example.com')
    const number = await open(ken, 'Broken kettle')
    await ask('ken@example.com', number)
    const token = await tokenMailedTo('ken@example.com', 3)

    const used = await redeem(token)
    expect(used.status).toBe(200)
    expect(used.body).toMatchObject({
      ticketNumber: number,
      user: { email: 'ken@example.com', type: 'customer' },
    })
    // The same session cookie as a sign-in, and it opens the ticket.
    const cookie = used.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/i)
    const viaCookie = await fetch(`${t.url}/api/v1/tickets/${number}`, {
      headers: { cookie: cookie.split(';')[0]! },
    })
    expect(viaCookie.status).toBe(200)
    expect(((await viaCookie.json()) as any).ticket.subject).toBe('Broken kettle')
    const events = await t.app.db.read
      .selectFrom('events')
      .select(['type', 'ip'])
      .where('type', 'in', ['auth.ticket_link_used', 'auth.login'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute()
    expect(events.map((e) => e.type).sort()).toEqual(['auth.login', 'auth.ticket_link_used'])
    expect(events.every((e) => e.ip === '127.0.0.1')).toBe(true)

    const again = await redeem(token)
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('invalid_ticket_link')
    expect(again.headers.get('set-cookie')).toBeNull()
    const unknown = await redeem('x'.repeat(43))
    expect([unknown.status, unknown.body]).toEqual([again.status, again.body])

    // Only 3 links per account per 30 minutes: the 4th request answers alike and mails nothing.
    expect((await ask('ken@example.com', number)).body).toEqual(NEUTRAL)
    await t.settle()
    expect(linkMails('ken@example.com')).toHaveLength(3)

    // Half an hour later a new link can be asked for, and it expires after 30 minutes.
    offset += 31 * MINUTE
    await ask('ken@example.com', number)
    const later = await tokenMailedTo('ken@example.com', 4)
    offset += 31 * MINUTE
    const expired = await redeem(later)
    expect(expired.status).toBe(400)
    expect(expired.body.error.code).toBe('invalid_ticket_link')
    const all = await t.app.db.read.selectFrom('events').selectAll().execute()
    expect(JSON.stringify(all)).not.toContain(token)
  })

  it('mails collaborators too, and a link stops working when the account is disabled or its password changes', async () => {
    const ken = await anon.as('ken@example.com')
    const number = await open(ken, 'Shared order')
    const ticket = await t.app.db.read
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirstOrThrow()
    const lena = await t.app.db.read
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'lena@example.com')
      .executeTakeFirstOrThrow()
    await t.app.db.writer
      .insertInto('ticket_collaborators')
      .values({ ticket_id: ticket.id, user_id: lena.id, created_at: clock.now() })
      .execute()

    await ask('lena@example.com', number)
    const first = await tokenMailedTo('lena@example.com', 1)
    await ask('lena@example.com', number)
    const second = await tokenMailedTo('lena@example.com', 2)
    const signedIn = await redeem(first)
    expect(signedIn.body.ticketNumber).toBe(number)
    const lenaClient = new Client(t.url, signedIn.body.token)
    expect((await lenaClient.get(`/api/v1/tickets/${number}`)).status).toBe(200)

    await t.app.db.writer.updateTable('users').set({ is_active: 0 }).where('id', '=', lena.id).execute()
    const refused = await redeem(second)
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('invalid_ticket_link')
    await t.app.db.writer.updateTable('users').set({ is_active: 1 }).where('id', '=', lena.id).execute()

    // A password change ends every open link of the account.
    await ask('lena@example.com', number)
    const third = await tokenMailedTo('lena@example.com', 3)
    const lenaSession = await anon.as('lena@example.com')
    const changed = await lenaSession.post('/api/v1/auth/password', {
      currentPassword: 'demo-password',
      newPassword: 'lena-new-password',
    })
    expect(changed.status).toBe(204)
    expect((await redeem(third)).body.error.code).toBe('invalid_ticket_link')
  })
})
