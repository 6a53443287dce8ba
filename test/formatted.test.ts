// Formatted messages (issue 11): HTML posted by the composer is sanitised with the mail sanitiser and stored with
// a plain-text copy; customers get it (never a note's); reply mail carries the HTML part and the text part; the
// sandboxed document route lets nothing run or load, remote images only when asked. On every database.
import { createRequire } from 'node:module'
import sanitizeHtml from 'sanitize-html'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { MailSink } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const NAUGHTY = createRequire(import.meta.url)('big-list-of-naughty-strings') as string[]
// The script-injection strings of the Big List of Naughty Strings, and the classic XSS vectors beside them.
const XSS = [
  ...NAUGHTY.filter((s) => /<script|onerror|onload|javascript:|<svg|<iframe|onmouseover/i.test(s)),
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<img src=x onerror=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<p style="background:url(https://evil.example/x)">styled</p>',
  '<form action="https://evil.example"><input name=p></form>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<object data="https://evil.example/x.swf"></object>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]

// What may be left in stored HTML, read as a browser would: known tags only, no event handler or style
// attribute, and every href/src resolving to http(s), mailto or cid (text that merely reads "javascript:" is text).
const ALLOWED_TAGS = new Set([...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'])
const decode = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!,
  )
function unsafeParts(html: string): string[] {
  const found: string[] = []
  for (const [, tag, attrs] of html.matchAll(/<([a-z][a-z0-9]*)([^>]*)>/gi)) {
    if (!ALLOWED_TAGS.has(tag!.toLowerCase())) found.push(`<${tag}>`)
    for (const [, rawName, value] of attrs!.matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) {
      const name = rawName!.toLowerCase()
      if (name.startsWith('on') || name === 'style') found.push(name)
      if (name === 'href' || name === 'src') {
        const protocol = new URL(decode(value ?? ''), 'https://base.example/').protocol
        if (!['http:', 'https:', 'mailto:', 'cid:'].includes(protocol)) found.push(`${name}=${value}`)
      }
    }
  }
  return found
}

describe.each(DATABASES)('formatted messages on %s', (kind) => {
  let t: TestServer
  let sink: MailSink
  let ken: Client
  let john: Client
  let number: string

  beforeAll(async () => {
    t = await startServer(kind)
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    const anon = new Client(t.url)
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
  })
  afterAll(async () => {
    await t.close()
    await sink.close()
  })

  it('takes a new ticket as HTML from the portal and keeps a text copy', async () => {
    const res = await ken.post('/api/v1/tickets', {
      subject: 'Formatted question',
      messageHtml:
        '<p>Our <strong>printer</strong> shows:</p><pre><code>E-42 paper jam</code></pre>' +
        '<blockquote><p>Please call</p></blockquote><script>alert(1)</script>',
    })
    expect(res.status).toBe(201)
    number = res.body.ticket.number
    const detail = await ken.get(`/api/v1/tickets/${number}`)
    const [entry] = detail.body.thread
    expect(entry.bodyHtml).toBe(
      '<p>Our <strong>printer</strong> shows:</p><pre><code>E-42 paper jam</code></pre>' +
        '<blockquote><p>Please call</p></blockquote>',
    )
    expect(entry.body).toContain('Our printer shows:')
    expect(entry.body).toContain('E-42 paper jam')
    expect(entry.body).toContain('> Please call')
    expect(entry.body).not.toContain('<')
    // The text copy is what search finds.
    const found = await john.get(`/api/v1/tickets?q=${encodeURIComponent('paper jam')}`)
    expect(found.body.items.map((i: { number: string }) => i.number)).toContain(number)
    // Plain text still works, and nothing at all is a 400 that says what is missing.
    const plain = await ken.post('/api/v1/tickets', { subject: 'Plain', message: 'Just text' })
    expect((await ken.get(`/api/v1/tickets/${plain.body.ticket.number}`)).body.thread[0].bodyHtml).toBeNull()
    const empty = await ken.post('/api/v1/tickets', {
      subject: 'Empty',
      messageHtml: '<p> </p><script>x</script>',
    })
    expect(empty.status).toBe(400)
    expect(empty.body.error.message).toMatch(/message must not be empty/)
    expect((await ken.post('/api/v1/tickets', { subject: 'Nothing' })).status).toBe(400)
  })

  it('sanitises every XSS vector posted as HTML, as it sanitises mail', async () => {
    expect(XSS.length).toBeGreaterThan(10)
    const problems: string[] = []
    for (const [i, vector] of XSS.entries()) {
      const res = await john.post(`/api/v1/tickets/${number}/messages`, {
        bodyHtml: `<p>case ${i}</p>${vector}`,
        internal: true,
      })
      if (res.status !== 201) {
        problems.push(`${i}: ${res.status}`)
        continue
      }
    }
    const detail = await john.get(`/api/v1/tickets/${number}`)
    for (const entry of detail.body.thread.filter((e: { kind: string }) => e.kind === 'note')) {
      const unsafe = entry.bodyHtml === null ? [] : unsafeParts(entry.bodyHtml)
      if (unsafe.length > 0) problems.push(`${entry.bodyHtml} → ${unsafe.join(', ')}`)
      expect(entry.body).toMatch(/^case \d+/)
    }
    expect(problems).toEqual([])
  })

  it('takes every naughty string as HTML: stored safe with a text copy, or a clean 400, never a 5xx', async () => {
    const problems: string[] = []
    for (const [i, s] of NAUGHTY.entries()) {
      const res = await john.post(`/api/v1/tickets/${number}/messages`, { bodyHtml: s, internal: true })
      if (res.status === 400 && res.body?.error?.code === 'invalid_message') continue
      if (res.status !== 201) problems.push(`#${i} ${JSON.stringify(s).slice(0, 60)}: ${res.status}`)
    }
    const notes = (await john.get(`/api/v1/tickets/${number}`)).body.thread.filter(
      (e: { kind: string }) => e.kind === 'note',
    )
    for (const e of notes) {
      const unsafe = e.bodyHtml === null ? [] : unsafeParts(e.bodyHtml)
      if (unsafe.length > 0) problems.push(`${e.bodyHtml} → ${unsafe.join(', ')}`)
      if (e.bodyHtml !== null && e.body.trim() === '') problems.push(`no text copy: ${e.bodyHtml}`)
    }
    expect(notes.length).toBeGreaterThan(NAUGHTY.length / 2)
    expect(problems).toEqual([])
  })

  it('sends a formatted reply to the customer with the HTML part and the text part', async () => {
    const before = await john.get(`/api/v1/tickets/${number}`)
    const reply = await john.post(`/api/v1/tickets/${number}/messages`, {
      bodyHtml:
        '<p>Please <strong>restart</strong> it and:</p><ul><li>open the tray</li><li>remove the sheet</li></ul>' +
        '<p>See <a href="https://help.example/printers">the guide</a>. <em>Thanks</em></p>',
      body: 'this text is replaced by the copy made from the HTML',
    })
    expect(reply.status).toBe(201)
    const note = await john.post(`/api/v1/tickets/${number}/messages`, {
      bodyHtml: '<p>Internal: <strong>ken broke it</strong></p>',
      internal: true,
    })
    expect(note.status).toBe(201)

    const asKen = await ken.get(`/api/v1/tickets/${number}`)
    const responses = asKen.body.thread.filter((e: { kind: string }) => e.kind === 'response')
    expect(responses).toHaveLength(1)
    expect(responses[0].bodyHtml).toBe(
      '<p>Please <strong>restart</strong> it and:</p><ul><li>open the tray</li><li>remove the sheet</li></ul>' +
        '<p>See <a href="https://help.example/printers">the guide</a>. ' +
        '<em>Thanks</em></p>',
    )
    expect(responses[0].body).toMatch(/Please restart it and:\n\s*\* open the tray\n\s*\* remove the sheet/)
    expect(responses[0].body).toContain('the guide [https://help.example/printers]')
    expect(responses[0].body).not.toContain('replaced')
    expect(JSON.stringify(asKen.body)).not.toContain('ken broke it')
    expect(before.body.thread.length).toBeLessThan(
      (await john.get(`/api/v1/tickets/${number}`)).body.thread.length,
    )

    await t.settle()
    const mail = await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && /restart/.test(String(m.parsed.text ?? '')),
    )
    expect(mail.parsed.text).toContain('Please restart it and:')
    expect(mail.parsed.text).toContain('open the tray')
    expect(mail.parsed.html).toContain('<strong>restart</strong>')
    expect(mail.parsed.html).toContain('<ul><li>open the tray</li><li>remove the sheet</li></ul>')
    expect(mail.parsed.html).toContain('<div dir="auto">')
    expect(mail.raw).toMatch(/multipart\/alternative/i)
    expect(
      sink.messages.some((m) => m.raw.includes('ken broke it') && m.to.includes('ken@example.com')),
    ).toBe(false)
  })

  it('serves a formatted entry as a sandboxed document: nothing runs, remote images only when asked', async () => {
    // A mail with a remote image (the sanitiser keeps its address out of src).
    const res = await john.post(`/api/v1/tickets/${number}/messages`, {
      bodyHtml: '<p dir="rtl">مرحبا <img src="https://pixel.example/p.gif" alt="logo"></p>',
    })
    expect(res.status).toBe(201)
    const thread = (await ken.get(`/api/v1/tickets/${number}`)).body.thread
    const entry = thread.at(-1)
    expect(entry.bodyHtml).toBe(
      '<p>مرحبا <img alt="logo" data-remote-src="https://pixel.example/p.gif" /></p>',
    )
    const path = `/api/v1/tickets/${number}/messages/${entry.id}/html`

    const doc = await fetch(t.url + path, { headers: { authorization: `Bearer ${ken.token}` } })
    expect(doc.status).toBe(200)
    expect(doc.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = doc.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("img-src 'self' data:;")
    expect(csp).toMatch(/sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox/)
    expect(csp).not.toContain('allow-scripts')
    const html = await doc.text()
    expect(html).toContain('<body dir="auto">')
    expect(html).not.toMatch(/\ssrc="https:\/\/pixel/)

    const shown = await fetch(`${t.url}${path}?remoteImages=1`, {
      headers: { authorization: `Bearer ${ken.token}` },
    })
    expect(shown.headers.get('content-security-policy')).toContain("img-src 'self' data: https: http:;")
    expect(await shown.text()).toContain('<img alt="logo" src="https://pixel.example/p.gif" />')

    // A note's document is the agents' alone; a plain entry has none; a stranger sees nothing.
    const noteId = (await john.get(`/api/v1/tickets/${number}`)).body.thread.find(
      (e: { kind: string; bodyHtml: string | null }) =>
        e.kind === 'note' && e.bodyHtml?.includes('ken broke it'),
    ).id
    const notePath = `/api/v1/tickets/${number}/messages/${noteId}/html`
    expect(
      (await fetch(t.url + notePath, { headers: { authorization: `Bearer ${john.token}` } })).status,
    ).toBe(200)
    expect(
      (await fetch(t.url + notePath, { headers: { authorization: `Bearer ${ken.token}` } })).status,
    ).toBe(404)
    const lena = await new Client(t.url).as('lena@example.com')
    expect((await fetch(t.url + path, { headers: { authorization: `Bearer ${lena.token}` } })).status).toBe(
      404,
    )
    expect((await fetch(t.url + path)).status).toBe(401)
  })
})
