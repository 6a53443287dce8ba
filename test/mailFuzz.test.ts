// Mutated MIME into receiveEmail: it never throws, and every message ends as a ticket or in failed mail.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../src/mail/receiveEmail.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const SEEDS = [
  'From: Ken <ken@example.com>\r\nTo: support@example.com\r\nSubject: plain\r\nMessage-ID: <seed1@x.example>\r\n\r\nHello there.\r\n',
  'From: a@b.example\r\nTo: support@example.com\r\nCc: c@d.example, "Q, R" <q@r.example>\r\nSubject: =?utf-8?B?w6l0w6k=?=\r\n' +
    'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n' +
    '--b2\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9\r\n' +
    '--b2\r\nContent-Type: text/html\r\n\r\n<p onclick=x>hi<script>y</script></p>\r\n--b2--\r\n' +
    '--b1\r\nContent-Type: application/octet-stream; name=a.bin\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n--b1--\r\n',
  'From: MAILER-DAEMON@mx.example\r\nTo: support@example.com\r\nSubject: Undelivered\r\n' +
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n' +
    '--r\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--r--\r\n',
  'From: lena@example.com\r\nSubject: Re: [#100001] thing\r\nIn-Reply-To: <sb.1.2.x.AAAAAAAAAAAAAAAAAAAAAAAA@example.com>\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n4pyTIMOgIGxhIGNhcnRl\r\n',
]

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({
    kind: fc.constant('header' as const),
    line: fc.constantFrom(
      'Content-Type: multipart/mixed; boundary=""',
      'Content-Type: text/plain; charset=utf-7',
      'Content-Transfer-Encoding: base64',
      'Auto-Submitted: auto-replied',
      'Message-ID: <>',
      'From: <>',
      'Subject: \u0000',
      'References: <a@b> <c@d> <<<',
      'Cc: "unterminated <x@y.example',
    ),
  }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: fc.nat(),
    length: fc.nat({ max: 200 }),
    times: fc.integer({ min: 1, max: 50 }),
  }),
)
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never

function mutate(seed: string, mutations: Mutation[]): Buffer {
  let b = Buffer.from(seed, 'latin1')
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : ('at' in m ? m.at : 0) % b.length
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[at] = m.byte
        break
      case 'cut':
        b = b.subarray(0, at)
        break
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)])
        break
      case 'header':
        b = Buffer.concat([Buffer.from(`${m.line}\r\n`, 'latin1'), b])
        break
      case 'repeat': {
        const piece = b.subarray(at, at + m.length)
        b = Buffer.concat([b.subarray(0, at), ...Array<Buffer>(m.times).fill(piece), b.subarray(at)])
        break
      }
    }
  }
  return b
}

describe.each(DATABASES)('receiveEmail fuzz on %s', (kind) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer(kind)
  })
  afterAll(() => t.close())

  it('never crashes, and each message is a ticket or failed mail', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        async (seed, mutations) => {
          const raw = mutate(seed, mutations)
          const outcome = await receiveEmail(t.app, raw, { source: 'api' })
          const row = await t.app.db.read
            .selectFrom('inbound_mail')
            .select(['status', 'ticket_id', 'raw'])
            .where('id', '=', outcome.inboundId)
            .executeTakeFirstOrThrow()
          expect(Buffer.from(row.raw).equals(raw)).toBe(true)
          if (outcome.status === 'failed') expect(row.status).toBe('failed')
          else {
            expect(['done', 'duplicate']).toContain(outcome.status)
            expect(row.ticket_id).not.toBeNull()
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
