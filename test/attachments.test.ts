// Attachments end to end (issue 11): uploads with their limits and sniffed types, content stored once by
// SHA-256, files on tickets, replies and notes, the reply mail in a real SMTP sink, cid: images of HTML mail,
// and the download headers. Every case runs on both stores (database and disk) and both databases.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAttachmentSweep } from '../src/jobs/attachmentSweep.ts'
import { startSmtpListener, type SmtpListener } from '../src/mail/smtpListener.ts'
import { Client } from './support/client.ts'
import { MailSink, until } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex')

/** A real 1×1 PNG (the bytes of a screenshot as far as any sniffer can tell). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
const MAX_BYTES = 64 * 1024
const MAX_FILES = 3

const STORES = ['database', 'disk'] as const
const cases = DATABASES.flatMap((db) => STORES.map((store) => [db, store] as const))

describe.each(cases)('attachments on %s with the %s store', (kind, store) => {
  let t: TestServer
  let dir: string
  let sink: MailSink
  let listener: SmtpListener
  let smtp: Transporter
  let ken: Client
  let lena: Client
  let john: Client
  let seq = 0
  const uniq = (s: string) => `${s} ${kind} ${store} ${++seq}`

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-files-'))
    t = await startServer(kind, {
      env: {
        ATTACHMENT_STORAGE: store,
        ATTACHMENT_DIR: dir,
        ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
        ATTACHMENT_MAX_FILES: String(MAX_FILES),
      },
    })
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
    ken = await anon.as('ken@example.com')
    lena = await anon.as('lena@example.com')
    john = await anon.as('john@example.com')
  })
  afterAll(async () => {
    smtp.close()
    await listener.close()
    await t.close()
    await sink.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** POST /api/v1/uploads as `who`, with the files as multipart parts (each declared as text/plain: ignored). */
  async function upload(who: Client, files: { name: string; bytes: Buffer }[]) {
    const form = new FormData()
    for (const f of files) form.append('file', new Blob([f.bytes], { type: 'text/plain' }), f.name)
    const res = await fetch(`${t.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.token}` },
      body: form,
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  async function uploadOne(who: Client, name: string, bytes: Buffer): Promise<number> {
    const res = await upload(who, [{ name, bytes }])
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.id as number
  }
  const download = (who: Client, path: string) =>
    fetch(t.url + path, { headers: { authorization: `Bearer ${who.token}` } }).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      bytes: Buffer.from(await r.arrayBuffer()),
    }))
  async function openTicket(who: Client, attachments: number[] = []) {
    const res = await who.post('/api/v1/tickets', {
      subject: uniq('Screen is blank'),
      message: 'See the screenshot.',
      attachments,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.ticket.number as string
  }
  const blobRow = (hash: string) =>
    t.app.db.read.selectFrom('attachment_blobs').selectAll().where('sha256', '=', hash).execute()
  const onDisk = (hash: string) => existsSync(join(dir, hash.slice(0, 2), hash))

  it('answers an upload with its sniffed type, never the one the client declared', async () => {
    const res = await upload(ken, [{ name: 'screenshot.txt', bytes: PNG }])
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: 'screenshot.txt', size: PNG.length, contentType: 'image/png' })
    expect(res.body.id).toEqual(expect.any(Number))
    expect(res.body.uploads).toHaveLength(1)
    const text = await upload(ken, [{ name: 'notes.txt', bytes: Buffer.from('plain words, ünïcode too\n') }])
    expect(text.body).toMatchObject({ contentType: 'text/plain' })
  })

  it('refuses an oversized file with 413, too many files with 400 and a forbidden type with 415', async () => {
    const big = await upload(ken, [{ name: 'big.png', bytes: Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]) }])
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('file_too_large')
    expect(big.body.error.message).toContain('big.png')

    const many = await upload(
      ken,
      Array.from({ length: MAX_FILES + 1 }, (_, i) => ({
        name: `f${i}.txt`,
        bytes: Buffer.from(`file ${i}`),
      })),
    )
    expect(many.status).toBe(400)
    expect(many.body.error.code).toBe('too_many_files')

    // HTML dressed as a picture, and a Windows program: the bytes say what they are.
    for (const [name, bytes] of [
      ['cat.png', Buffer.from('<html><script>alert(1)</script></html>')],
      ['setup.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)])],
      ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')],
    ] as const) {
      const res = await upload(ken, [{ name, bytes }])
      expect(res.status, name).toBe(415)
      expect(res.body.error.code).toBe('file_type_not_allowed')
    }
    const json = await ken.post('/api/v1/uploads', { file: 'data:image/png;base64,AAAA' })
    expect(json.status).toBe(415)
    expect(json.body.error.code).toBe('multipart_required')
    const none = await upload(ken, [])
    expect(none.status).toBe(400)
    // A refused request keeps nothing: no upload rows for its files.
    const kept = await t.app.db.read
      .selectFrom('uploads')
      .select('filename')
      .where('filename', 'in', ['big.png', 'f0.txt', 'cat.png'])
      .execute()
    expect(kept).toEqual([])
  })

  it('stores the same bytes once, whoever uploads them and however often', async () => {
    const bytes = Buffer.from(`the same log file ${kind} ${store}\n`.repeat(50))
    const hash = sha256(bytes)
    const a = await uploadOne(ken, 'a.log', bytes)
    const b = await uploadOne(lena, 'b.log', bytes)
    const number = await openTicket(ken, [a])
    const c = await uploadOne(john, 'c.log', bytes)
    expect(new Set([a, b, c]).size).toBe(3)
    const rows = await blobRow(hash)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.size).toBe(bytes.length)
    if (store === 'database') {
      expect(Buffer.from(rows[0]!.content!).equals(bytes)).toBe(true)
      expect(onDisk(hash)).toBe(false)
    } else {
      expect(rows[0]!.content).toBeNull()
      expect(onDisk(hash)).toBe(true)
    }
    const refs = await t.app.db.read
      .selectFrom('entry_attachments')
      .select('sha256')
      .where('sha256', '=', hash)
      .execute()
    expect(refs).toHaveLength(1)
    const detail = await ken.get(`/api/v1/tickets/${number}`)
    const file = detail.body.thread[0].attachments[0]
    expect((await download(ken, file.url)).bytes.equals(bytes)).toBe(true)
  })

  it('lists the files on the thread entry and serves them with the safe download headers', async () => {
    const shot = await uploadOne(ken, 'screenshot.png', PNG)
    const log = await uploadOne(ken, 'error.log', Buffer.from('Error 401 at login\n'))
    const number = await openTicket(ken, [shot, log])
    const detail = await john.get(`/api/v1/tickets/${number}`)
    const files = detail.body.thread[0].attachments
    expect(files).toEqual([
      {
        id: expect.any(Number),
        name: 'screenshot.png',
        size: PNG.length,
        contentType: 'image/png',
        url: `/api/v1/tickets/${number}/attachments/${files[0].id}`,
        previewUrl: `/api/v1/tickets/${number}/attachments/${files[0].id}/preview`,
      },
      expect.objectContaining({ name: 'error.log', contentType: 'text/plain', previewUrl: null }),
    ])
    const got = await download(ken, files[0].url)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(PNG)).toBe(true)
    expect(got.headers.get('content-type')).toBe('application/octet-stream')
    expect(got.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''screenshot.png")
    expect(got.headers.get('x-content-type-options')).toBe('nosniff')
    expect(got.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")

    const preview = await download(john, files[0].previewUrl)
    expect(preview.status).toBe(200)
    expect(preview.headers.get('content-type')).toBe('image/png')
    expect(preview.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(preview.headers.get('x-content-type-options')).toBe('nosniff')
    expect(preview.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
    expect(preview.bytes.equals(PNG)).toBe(true)
    // Not a picture: no preview.
    expect((await download(john, `${files[1].url}/preview`)).status).toBe(404)
    // Another customer, on a ticket they cannot see: the same 404 as a missing one.
    expect((await download(lena, files[0].url)).status).toBe(404)
    expect((await download(lena, files[0].previewUrl)).status).toBe(404)
  })

  it('lets only the uploader attach an upload, once, before it expires', async () => {
    const kens = await uploadOne(ken, 'mine.txt', Buffer.from('only Ken may attach this'))
    const notMine = uniq('Not mine')
    const refused = await lena.post('/api/v1/tickets', {
      subject: notMine,
      message: 'x',
      attachments: [kens],
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('unknown_upload')
    // Nothing of the refused request was written.
    expect(
      await t.app.db.read.selectFrom('tickets').select('id').where('subject', '=', notMine).execute(),
    ).toEqual([])
    const number = await openTicket(ken, [kens])
    const again = await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'again', attachments: [kens] })
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('unknown_upload')

    const tooMany = await Promise.all(
      Array.from({ length: MAX_FILES + 1 }, (_, i) => uploadOne(ken, `n${i}.txt`, Buffer.from(`n ${i}`))),
    )
    const over = await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'many', attachments: tooMany })
    expect(over.status).toBe(400)
    expect(over.body.error.code).toBe('too_many_files')

    // The sweep: an upload nobody attached expires, and content nobody refers to goes with it.
    const bytes = Buffer.from(`forgotten ${kind} ${store}`)
    const forgotten = await uploadOne(ken, 'forgotten.txt', bytes)
    // A partial file of an upload cut off two hours ago (the disk store writes one while a file arrives).
    const partial = join(dir, 'tmp', `cut-off-${seq}`)
    mkdirSync(join(dir, 'tmp'), { recursive: true })
    writeFileSync(partial, 'half a file')
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000)
    utimesSync(partial, twoHoursAgo, twoHoursAgo)
    const fresh = join(dir, 'tmp', `arriving-${seq}`)
    writeFileSync(fresh, 'still arriving')
    const realNow = t.app.clock.now
    t.app.clock.now = () => realNow() + 2 * t.app.config.attachments.uploadTtlMs + 1000
    try {
      const swept = await runAttachmentSweep(t.app)
      // The database store writes no partial files, and leaves the directory alone.
      expect(existsSync(partial)).toBe(store === 'database')
      expect(existsSync(fresh)).toBe(true)
      expect(swept.uploads).toBeGreaterThanOrEqual(1)
      expect(await blobRow(sha256(bytes))).toEqual([])
      expect(onDisk(sha256(bytes))).toBe(false)
      // Content still on a ticket stays.
      expect(await blobRow(sha256(Buffer.from('only Ken may attach this')))).toHaveLength(1)
    } finally {
      t.app.clock.now = realNow
    }
    const late = await ken.post(`/api/v1/tickets/${number}/messages`, {
      body: 'late',
      attachments: [forgotten],
    })
    expect(late.body.error.code).toBe('unknown_upload')
  })

  it("mails a reply's files to the requester with the same bytes, and never a note's", async () => {
    const number = await openTicket(ken)
    await t.settle()
    const manual = Buffer.concat([PNG, Buffer.from(`manual ${kind} ${store}`)])
    const replyFile = await uploadOne(john, 'manual.pdf.png', manual)
    const reply = await john.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Here is the manual.',
      attachments: [replyFile],
    })
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    const secret = Buffer.from(`internal pricing sheet ${kind} ${store}`)
    const noteFile = await uploadOne(john, 'pricing.txt', secret)
    const note = await john.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Internal: pricing attached.',
      internal: true,
      attachments: [noteFile],
    })
    expect(note.status).toBe(201)
    await t.settle()

    const mail = await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && (m.parsed.text ?? '').includes('Here is the manual.'),
    )
    expect(mail.parsed.attachments.map((a) => a.filename)).toEqual(['manual.pdf.png'])
    expect(sha256(mail.parsed.attachments[0]!.content)).toBe(sha256(manual))
    // No mail to the customer carries the note's file or text.
    const toKen = sink.messages.filter((m) => m.to.includes('ken@example.com'))
    for (const m of toKen) {
      expect(m.parsed.attachments.map((a) => sha256(a.content))).not.toContain(sha256(secret))
      expect(m.raw).not.toContain('pricing')
    }
    // Nor the API: Ken sees the reply's file and no trace of the note's.
    const detail = await ken.get(`/api/v1/tickets/${number}`)
    expect(detail.body.thread.map((e: any) => e.kind)).toEqual(['message', 'response'])
    expect(detail.body.thread[1].attachments.map((a: any) => a.name)).toEqual(['manual.pdf.png'])
    expect(JSON.stringify(detail.body)).not.toContain('pricing')
    const noteEntry = (await john.get(`/api/v1/tickets/${number}`)).body.thread.find(
      (e: any) => e.kind === 'note',
    )
    const noteAttachment = noteEntry.attachments[0]
    expect(noteAttachment.name).toBe('pricing.txt')
    expect((await download(john, noteAttachment.url)).bytes.equals(secret)).toBe(true)
    const asKen = await download(ken, noteAttachment.url)
    expect(asKen.status).toBe(404)
    expect(asKen.bytes.toString()).not.toContain('internal pricing')
    const missing = await download(ken, `/api/v1/tickets/${number}/attachments/999999`)
    expect(asKen.bytes.equals(missing.bytes)).toBe(true)
  })

  it('serves the cid: images of an HTML mail from the attachment route', async () => {
    const subject = uniq('Inline picture')
    await smtp.sendMail({
      from: 'Ken Adams <ken@example.com>',
      to: 'support@example.com',
      subject,
      text: 'See the picture.',
      html: '<p>See <img src="cid:shot.1@ken.example" alt="the error"> and <img src="cid:nothing@x"></p>',
      attachments: [
        { filename: 'shot.png', content: PNG, cid: 'shot.1@ken.example', contentType: 'image/png' },
        { filename: 'log.txt', content: 'plain log' },
      ],
    })
    const ticket = await until(async () =>
      t.app.db.read.selectFrom('tickets').selectAll().where('subject', '=', subject).executeTakeFirst(),
    )
    const mail = await ken.get(`/api/v1/tickets/${ticket.number}/mail`)
    const entry = mail.body.entries[0]
    const shot = entry.attachments.find((a: any) => a.filename === 'shot.png')
    const src = `/api/v1/tickets/${ticket.number}/attachments/${shot.id}/preview`
    expect(entry.html).toContain(`<img src="${src}"`)
    expect(entry.html).toContain('cid:nothing@x')
    const image = await download(ken, src)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(image.bytes.equals(PNG)).toBe(true)
    const detail = await john.get(`/api/v1/tickets/${ticket.number}`)
    expect(detail.body.thread[0].attachments.map((a: any) => a.name).sort()).toEqual(['log.txt', 'shot.png'])
    // The formatted message's own document (the thread's sandboxed frame) shows it too, from our origin.
    const frame = await ken.request(
      'GET',
      `/api/v1/tickets/${ticket.number}/messages/${detail.body.thread[0].id}/html`,
    )
    expect(frame.status).toBe(200)
    expect(frame.body).toContain(`<img src="${src}"`)
    expect(frame.headers.get('content-security-policy')).toContain("img-src 'self' data:")
  })
})
