// The parser on odd real-world mail: broken and legacy charsets, nested multiparts, TNEF (winmail.dat),
// missing headers. mailparser must never throw, and what we store must be valid text.
import { describe, expect, it } from 'vitest'
import { parseMail, stripQuotedText } from '../src/mail/parseMail.ts'
import { REPLY_MARKER } from '../src/mail/templates.ts'

const mail = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1')

describe('parseMail on odd mail', () => {
  it('decodes legacy charsets and survives an unknown one', async () => {
    const koi8 = await parseMail(
      Buffer.concat([
        mail([
          'From: a@b.example',
          'Subject: =?koi8-r?B?8NLJ18XU?=',
          'Content-Type: text/plain; charset=koi8-r',
          '',
          '',
        ]),
        Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]),
      ]),
    )
    expect(koi8.subject).toBe('Привет')
    expect(koi8.text).toBe('Привет')
    const unknown = await parseMail(
      mail([
        'From: a@b.example',
        'Subject: x',
        'Content-Type: text/plain; charset=x-no-such-charset',
        '',
        'caf\xe9 ok',
      ]),
    )
    expect(unknown.text).toContain('caf')
    expect(unknown.text.isWellFormed()).toBe(true)
  })

  it('finds the text, HTML and attachments of nested multiparts', async () => {
    const parsed = await parseMail(
      mail([
        'From: "Nested" <n@b.example>',
        'Subject: nested',
        'Content-Type: multipart/mixed; boundary="outer"',
        '',
        '--outer',
        'Content-Type: multipart/alternative; boundary="inner"',
        '',
        '--inner',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'plain part',
        '--inner',
        'Content-Type: multipart/related; boundary="rel"',
        '',
        '--rel',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>html <i>part</i></p><iframe src="https://x.example"></iframe>',
        '--rel--',
        '--inner--',
        '--outer',
        'Content-Type: application/pdf; name="a.pdf"',
        'Content-Disposition: attachment; filename="a.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
        '--outer--',
        '',
      ]),
    )
    expect(parsed.text).toBe('plain part')
    expect(parsed.html).toBe('<p>html <i>part</i></p>')
    expect(parsed.attachments).toEqual([
      expect.objectContaining({
        filename: 'a.pdf',
        contentType: 'application/pdf',
        content: Buffer.from('%PDF-1.4\n'),
      }),
    ])
  })

  it('derives the plain text of HTML-only mail', async () => {
    const parsed = await parseMail(
      mail([
        'From: a@b.example',
        'Subject: h',
        'Content-Type: text/html',
        '',
        '<p>Hello <b>world</b></p><p>Second</p>',
      ]),
    )
    expect(parsed.text).toBe('Hello world\n\nSecond')
    expect(parsed.html).toBe('<p>Hello <b>world</b></p><p>Second</p>')
  })

  it('keeps a TNEF winmail.dat as an attachment', async () => {
    const parsed = await parseMail(
      mail([
        'From: outlook@b.example',
        'Subject: tnef',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b',
        'Content-Type: application/ms-tnef; name="winmail.dat"',
        'Content-Transfer-Encoding: base64',
        '',
        'eJ8+IgAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAAEIgAcAGAAAAElQTS5NaWNy',
        '--b--',
        '',
      ]),
    )
    expect(parsed.text).toBe('see attached')
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(['application/ms-tnef'])
  })

  it('fills in what is missing: no Message-ID, no subject, no body, no From', async () => {
    const raw = mail(['From: a@b.example', '', ''])
    const bare = await parseMail(raw)
    expect(bare.subject).toBe('(no subject)')
    expect(bare.messageId).toMatch(/^<sha256\.[0-9a-f]{64}@switchboard\.invalid>$/)
    expect((await parseMail(raw)).messageId).toBe(bare.messageId)
    const nobody = await parseMail(mail(['Subject: hello', '', 'text']))
    expect(nobody.from).toBeUndefined()
  })

  it('recognises auto-replies and delivery reports', async () => {
    const of = (header: string) =>
      parseMail(mail(['From: a@b.example', header, 'Subject: s', '', 'x'])).then((p) => p.autoReply)
    expect(await of('Auto-Submitted: auto-replied')).toBe(true)
    expect(await of('Auto-Submitted: no')).toBe(false)
    expect(await of('Precedence: bulk')).toBe(true)
    expect(await of('X-Autoreply: yes')).toBe(true)
    expect(await of('Content-Type: multipart/report; report-type=delivery-status; boundary=x')).toBe(true)
    expect(await of('X-Mailer: Thunderbird')).toBe(false)
    const daemon = await parseMail(mail(['From: MAILER-DAEMON@mx.example', 'Subject: Undelivered', '', 'x']))
    expect(daemon.autoReply).toBe(true)
  })

  it('strips everything below our reply marker, and the "wrote:" line above it', () => {
    expect(stripQuotedText(`Thanks!\n\nOn Tue, Support wrote:\n> ${REPLY_MARKER}\n> old text`)).toBe(
      'Thanks!',
    )
    expect(stripQuotedText(`Fine\n${REPLY_MARKER}\nold`)).toBe('Fine')
    expect(stripQuotedText('No marker here\n> quoted')).toBe('No marker here\n> quoted')
  })
})
