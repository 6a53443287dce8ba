// Issue 9, as a property: random combinations of From, To, Cc, Reply-To, In-Reply-To, References, the
// subject's [#number] and Authentication-Results, driven through receiveEmail against a ticket that already
// has a requester and a collaborator. The people who may see the ticket (asked of the policy, for every
// account there is) never shrink, and grow only through an authenticated mail: one quoting our signed
// Message-ID for this ticket, or one from a requester or collaborator that the trusted MTA verified.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActor } from '../src/commands/auth.ts'
import { accessFacts } from '../src/commands/ticketAccess.ts'
import { signedMessageId, signingKey } from '../src/mail/messageId.ts'
import { receiveEmail } from '../src/mail/receiveEmail.ts'
import { canSeeTicket } from '../src/policies/ticketPolicy.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const TRUSTED = 'mx.trusted.test'
const SENDERS = [
  'ken@example.com', // the requester
  'lena@example.com', // a collaborator
  'mallory@evil.test', // a stranger
  'bob@acme.test', // a customer of another ticket
  'john@example.com', // an agent
  'k\u0435n@example.com', // Ken with a Cyrillic е
] as const
// `fresh` is a new address in every mail, so that one mail adding everybody cannot hide what a later one does.
const OTHERS = ['mallory@evil.test', 'bob@acme.test', 'eve@evil.test', 'lena@example.com', 'fresh']

describe.each(DATABASES)('who may see a ticket, under random mail headers, on %s', (kind) => {
  let t: TestServer
  let ticket: { id: number; number: string }
  let other: { id: number; number: string }
  let refs: Record<'signedKen' | 'signedLena' | 'forged' | 'signedOther' | 'known' | 'random', string>
  let seq = 0

  beforeAll(async () => {
    t = await startServer(kind)
    const anon = new Client(t.url)
    const admin = await anon.as('admin@example.com')
    const intake = (await admin.get('/api/v1/admin/intake-addresses')).body.items[0]
    await admin.request('PUT', `/api/v1/admin/intake-addresses/${intake.address}`, {
      departmentId: intake.departmentId,
      trustedAuthservIds: [TRUSTED],
    })
    const open = async (email: string, subject: string, messageId: string) => {
      const raw = `From: ${email}\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: ${messageId}\r\n\r\nHi.\r\n`
      const o = await receiveEmail(t.app, Buffer.from(raw), {
        source: 'smtp',
        envelopeTo: ['support@example.com'],
      })
      if (o.status !== 'done') throw new Error(JSON.stringify(o))
      return t.app.db.read
        .selectFrom('tickets')
        .select(['id', 'number'])
        .where('number', '=', o.ticketNumber)
        .executeTakeFirstOrThrow()
    }
    ticket = await open('ken@example.com', 'Ken’s ticket', `<ken.${kind}@mail.example.com>`)
    other = await open('bob@acme.test', 'Bob’s ticket', `<bob.${kind}@mail.acme.test>`)
    // Lena is a collaborator, as if an agent had added her (an authenticated action).
    const lena = await t.app.db.read
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'lena@example.com')
      .executeTakeFirstOrThrow()
    await t.app.db.writer
      .insertInto('ticket_collaborators')
      .values({ ticket_id: ticket.id, user_id: lena.id, created_at: Date.now() })
      .execute()
    const key = await signingKey(t.app.db.read)
    const users = await t.app.db.read.selectFrom('users').select(['id', 'email']).execute()
    const idOf = (email: string) => users.find((u) => u.email === email)!.id
    refs = {
      signedKen: signedMessageId(
        key,
        { ticketId: ticket.id, userId: idOf('ken@example.com'), nonce: 'a1' },
        'example.com',
      ),
      signedLena: signedMessageId(
        key,
        { ticketId: ticket.id, userId: idOf('lena@example.com'), nonce: 'b2' },
        'example.com',
      ),
      forged: `<sb.${ticket.id}.${idOf('ken@example.com')}.a1.AAAAAAAAAAAAAAAAAAAAAAAA@example.com>`,
      signedOther: signedMessageId(
        key,
        { ticketId: other.id, userId: idOf('bob@acme.test'), nonce: 'c3' },
        'example.com',
      ),
      known: `<ken.${kind}@mail.example.com>`,
      random: '<something@else.example>',
    }
  })
  afterAll(async () => {
    await t?.close()
  })

  /** Every account that may see the ticket, by the same policy the detail view asks. */
  async function whoMaySee(): Promise<Set<string>> {
    const db = t.app.db.read
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow()
    const users = await db.selectFrom('users').select(['id', 'email']).execute()
    const seeing = new Set<string>()
    for (const u of users) {
      const actor = await loadActor(db, u.id)
      if (actor && canSeeTicket(actor, await accessFacts(db, row, actor))) seeing.add(u.email)
    }
    return seeing
  }

  const refName = fc.constantFrom(
    ...(['signedKen', 'signedLena', 'forged', 'signedOther', 'known', 'random'] as const),
  )
  const mail = fc.record({
    from: fc.constantFrom(...SENDERS),
    to: fc.subarray(OTHERS),
    cc: fc.subarray(OTHERS),
    replyTo: fc.option(fc.constantFrom(...OTHERS), { nil: undefined }),
    inReplyTo: fc.option(refName, { nil: undefined }),
    references: fc.subarray(['signedKen', 'signedLena', 'forged', 'signedOther', 'known', 'random'] as const),
    token: fc.constantFrom('none', 'this', 'other'),
    auth: fc.constantFrom(
      'none',
      'trustedPass',
      'trustedPassOtherDomain',
      'untrustedPass',
      'trustedFail',
      'forgedBelowReal',
    ),
  })
  type Mail = typeof mail extends fc.Arbitrary<infer M> ? M : never

  function rawOf(m: Mail): Buffer {
    const domain = m.from.slice(m.from.lastIndexOf('@') + 1)
    const ar = {
      none: [],
      trustedPass: [`${TRUSTED}; dmarc=pass header.from=${domain}`],
      trustedPassOtherDomain: [
        `${TRUSTED}; dkim=pass header.d=evil.test; spf=pass smtp.mailfrom=x@evil.test`,
      ],
      untrustedPass: [`mx.evil.test; dmarc=pass header.from=${domain}`],
      trustedFail: [`${TRUSTED}; dmarc=fail header.from=${domain}`],
      forgedBelowReal: [
        `${TRUSTED}; dmarc=none header.from=${domain}`,
        `${TRUSTED}; dmarc=pass header.from=${domain}`,
      ],
    }[m.auth]
    const number = m.token === 'this' ? ticket.number : m.token === 'other' ? other.number : undefined
    const fresh = `stranger${++seq}@new.test`
    const who = (list: string[]) => list.map((a) => (a === 'fresh' ? fresh : a)).join(', ')
    const lines = [
      ...ar.map((v) => `Authentication-Results: ${v}`),
      `From: ${m.from}`,
      `To: ${who(['support@example.com', ...m.to])}`,
      ...(m.cc.length ? [`Cc: ${who(m.cc)}`] : []),
      ...(m.replyTo ? [`Reply-To: ${who([m.replyTo])}`] : []),
      ...(m.inReplyTo ? [`In-Reply-To: ${refs[m.inReplyTo]}`] : []),
      ...(m.references.length ? [`References: ${m.references.map((r) => refs[r]).join(' ')}`] : []),
      `Subject: Re: ${number ? `[#${number}] ` : ''}about that`,
      `Message-ID: <p${++seq}.${kind}@client.example>`,
      'Content-Type: text/plain; charset=utf-8',
    ]
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\nA message.\r\n`)
  }

  it('never shrinks, and grows only through an authenticated mail', async () => {
    await fc.assert(
      fc.asyncProperty(mail, async (m) => {
        const before = await whoMaySee()
        const outcome = await receiveEmail(t.app, rawOf(m), {
          source: 'smtp',
          envelopeTo: ['support@example.com'],
        })
        expect(outcome.status).not.toBe('pending')
        const after = await whoMaySee()
        for (const who of before) expect(after.has(who)).toBe(true)
        const grew = [...after].filter((who) => !before.has(who))
        if (grew.length === 0) return
        // Which ticket a signed reference names: the first valid one, In-Reply-To first, then References newest first.
        const order = [...(m.inReplyTo ? [m.inReplyTo] : []), ...[...m.references].reverse()]
        const firstSigned = order.find((r) => r === 'signedKen' || r === 'signedLena' || r === 'signedOther')
        const signedForThis = firstSigned === 'signedKen' || firstSigned === 'signedLena'
        // The trusted MTA vouched for the From domain: a DMARC pass for it, or the DKIM/SPF pass for evil.test
        // when that is the From's own domain (mallory's), which is aligned and so just as good.
        const fromDomain = m.from.slice(m.from.lastIndexOf('@') + 1)
        const vouched =
          m.auth === 'trustedPass' || (m.auth === 'trustedPassOtherDomain' && fromDomain === 'evil.test')
        const verifiedMember = vouched && before.has(m.from) && m.from !== 'john@example.com'
        expect(signedForThis || verifiedMember, `${JSON.stringify(m)} let in ${grew.join(', ')}`).toBe(true)
      }),
      { numRuns: 50 },
    )
  }, 300_000) // each run asks the policy about every account; on a loaded 2-core machine that takes a while
})
