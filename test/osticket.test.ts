// osTicket's API, unchanged for its callers: X-API-Key, 201 with the number as plain text, 401 and 400.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('osTicket-compatible API on %s', (kind) => {
  let t: TestServer
  let admin: Client
  let key: string
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(t.url + path, { method: 'POST', body, headers }).then(async (r) => ({
      status: r.status,
      text: await r.text(),
      type: r.headers.get('content-type'),
    }))
  const json = (body: unknown, apiKey: string | undefined = key) =>
    post('/api/tickets.json', JSON.stringify(body), {
      'content-type': 'application/json',
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
    })

  beforeAll(async () => {
    t = await startServer(kind)
    admin = await new Client(t.url).as('admin@example.com')
    // The key comes from the CLI, as an operator would make it: printed on the last line.
    const cli = spawnSync(
      process.execPath,
      ['bin/switchboard.js', 'apikey:create', '--name', 'legacy scripts', '--scopes', 'tickets:create'],
      { env: { ...process.env, DATABASE_URL: t.databaseUrl }, encoding: 'utf8' },
    )
    expect(cli.status, cli.stderr).toBe(0)
    key = cli.stdout.trim().split('\n').at(-1)!
    expect(key).toMatch(/^sbk_/)
  })
  afterAll(() => t.close())

  it('creates a ticket from osTicket fields and answers 201 with the number as plain text', async () => {
    const res = await json({
      name: 'Olga Customer',
      email: 'olga@customer.example',
      subject: 'Cannot log in',
      message: 'data:text/html;charset=utf-8,<p>Login <b>fails</b></p><script>x()</script>',
      ip: '192.0.2.10',
      alert: true,
      autorespond: false,
      source: 'API',
      priorityId: 3,
      attachments: [{ 'error.txt': 'data:text/plain;base64,RXJyb3IgNDAx' }],
      'custom field': 'kept quiet',
    })
    expect(res.status).toBe(201)
    expect(res.type).toMatch(/^text\/plain/)
    expect(res.text).toMatch(/^\d{6,}$/)
    const john = await new Client(t.url).as('john@example.com')
    const detail = await john.get(`/api/v1/tickets/${res.text}`)
    expect(detail.body.ticket).toMatchObject({
      priority: 'high',
      source: 'api',
      requester: { email: 'olga@customer.example' },
    })
    expect(detail.body.thread[0].body).toContain('Login fails')
    const mail = await john.get(`/api/v1/tickets/${res.text}/mail`)
    expect(mail.body.entries[0].html).toBe('<p>Login <b>fails</b></p>')
    expect(mail.body.entries[0].attachments[0]).toMatchObject({ filename: 'error.txt', size: 9 })
    // The audit log says where the API call came from.
    const created = await t.app.db.read
      .selectFrom('events as e')
      .innerJoin('tickets as tk', 'tk.id', 'e.ticket_id')
      .select(['e.ip'])
      .where('tk.number', '=', res.text)
      .where('e.type', '=', 'ticket.created')
      .executeTakeFirstOrThrow()
    expect(created.ip).toBe('127.0.0.1')
  })

  it("stores osTicket's documented tickets.json example: both attachments, with their bytes, and the HTML", async () => {
    // The example of osTicket's docs/api/tickets.md, as published (its "image.png" is a GIF).
    const gif =
      'R0lGODdhMAAwAPAAAAAAAP///ywAAAAAMAAwAAAC8IyPqcvt3wCcDkiLc7C0qwyGHhSWpjQu5yqmCYsapyuvUUlvONmOZtfzgFz' +
      'ByTB10QgxOR0TqBQejhRNzOfkVJ+5YiUqrXF5Y5lKh/DeuNcP5yLWGsEbtLiOSpa/TPg7JpJHxyendzWTBfX0cxOnKPjgBzi4diinWGdkF8kjdfnycQZXZeYGejmJlZeGl9i2icVqaNVailT6F5iJ90m6mvuTS4OK05M0vDk0Q4XUtwvKOzrcd3iq9uisF81M1OIcR7lEewwcLp7tuNNkM3uNna3F2JQFo97Vriy/Xl4/f1cf5VWzXyym7PHhhx4dbgYKAAA7'
    const res = await json({
      alert: true,
      autorespond: true,
      source: 'API',
      name: 'Angry User',
      email: 'api@osticket.com',
      phone: '3185558634X123',
      subject: 'Testing API',
      ip: '123.211.233.122',
      message: 'data:text/html,MESSAGE <b>HERE</b>',
      attachments: [
        { 'file.txt': 'data:text/plain;charset=utf-8,content' },
        { 'image.png': `data:image/png;base64,${gif}` },
      ],
    })
    expect(res.status, res.text).toBe(201)
    const john = await new Client(t.url).as('john@example.com')
    const detail = await john.get(`/api/v1/tickets/${res.text}`)
    expect(detail.status).toBe(200)
    const files = detail.body.thread[0].attachments
    expect(files.map((f: any) => [f.name, f.size])).toEqual([
      ['file.txt', 7],
      ['image.png', Buffer.from(gif, 'base64').length],
    ])
    const bytesOf = async (url: string) =>
      Buffer.from(
        await (
          await fetch(t.url + url, { headers: { authorization: `Bearer ${john.token}` } })
        ).arrayBuffer(),
      )
    expect((await bytesOf(files[0].url)).toString('utf8')).toBe('content')
    expect((await bytesOf(files[1].url)).equals(Buffer.from(gif, 'base64'))).toBe(true)
    // A picture by its bytes (a GIF, whatever the name says): it has a preview, served as a GIF.
    expect(files[1].previewUrl).toBe(`${files[1].url}/preview`)
    const preview = await fetch(t.url + files[1].previewUrl, {
      headers: { authorization: `Bearer ${john.token}` },
    })
    expect(preview.headers.get('content-type')).toBe('image/gif')
    expect(detail.body.thread[0].body).toContain('MESSAGE HERE')
    const mail = await john.get(`/api/v1/tickets/${res.text}/mail`)
    expect(mail.body.entries[0].html).toBe('MESSAGE <b>HERE</b>')
  })

  it('files a raw message posted to /api/tickets.email', async () => {
    const raw =
      'From: Olga <olga@customer.example>\r\nTo: support@example.com\r\nSubject: Piped by automail\r\n' +
      `Message-ID: <automail-${kind}@customer.example>\r\n\r\nHello from automail.pl\r\n`
    const first = await post('/api/tickets.email', raw, {
      'content-type': 'message/rfc822',
      'x-api-key': key,
    })
    expect(first.status).toBe(201)
    expect(first.text).toMatch(/^\d{6,}$/)
    const again = await post('/api/tickets.email', raw, { 'content-type': 'text/plain', 'x-api-key': key })
    expect(again).toMatchObject({ status: 201, text: first.text })
    expect(
      (await post('/api/tickets.email', 'nonsense', { 'content-type': 'text/plain', 'x-api-key': key }))
        .status,
    ).toBe(400)
  })

  it('answers 401 for every key problem', async () => {
    const body = { email: 'olga@customer.example', subject: 's', message: 'm' }
    expect((await json(body, '')).status).toBe(401)
    expect((await json(body, 'sbk_not-a-key')).status).toBe(401)

    const limited = await admin.post('/api/v1/admin/api-keys', {
      name: 'office',
      scopes: ['tickets:create'],
      allowedIps: ['10.1.2.0/24'],
    })
    expect(limited.status).toBe(201)
    const fromElsewhere = await json(body, limited.body.key)
    expect(fromElsewhere).toMatchObject({ status: 401, text: expect.stringContaining('not allowed from') })
    const local = await admin.post('/api/v1/admin/api-keys', {
      name: 'local',
      scopes: ['tickets:create'],
      allowedIps: ['127.0.0.1'],
    })
    expect((await json(body, local.body.key)).status).toBe(201)

    expect(
      (
        await fetch(`${t.url}/api/v1/admin/api-keys/${local.body.id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${admin.token}` },
        })
      ).status,
    ).toBe(204)
    expect((await json(body, local.body.key)).status).toBe(401)
    const list = await admin.get('/api/v1/admin/api-keys')
    const listed = list.body.items.find((k: { id: number }) => k.id === local.body.id)
    expect(listed).toMatchObject({
      name: 'local',
      revokedAt: expect.any(String),
      lastUsedAt: expect.any(String),
    })
    expect(JSON.stringify(list.body)).not.toContain(local.body.key)
    const stored = await t.app.db.read.selectFrom('api_keys').select('key_hash').execute()
    expect(stored.map((s) => s.key_hash)).not.toContain(local.body.key)
  })

  it('answers 400 for invalid input, never 500', async () => {
    expect((await json({ subject: 's', message: 'm' })).status).toBe(400)
    expect((await json({ email: 'not-an-email', subject: 's', message: 'm' })).status).toBe(400)
    expect((await json({ email: 'a@b.example', subject: '', message: 'm' })).status).toBe(400)
    expect((await json({ email: 'a@b.example', subject: 's', message: 'm', priorityId: 9 })).status).toBe(400)
    expect(
      (
        await json({
          email: 'a@b.example',
          subject: 's',
          message: 'm',
          attachments: [{ 'a.txt': 'not a data url' }],
        })
      ).status,
    ).toBe(400)
    expect((await json({ email: 'john@example.com', subject: 's', message: 'm' })).status).toBe(400)
    const broken = await post('/api/tickets.json', '{"email":', {
      'content-type': 'application/json',
      'x-api-key': key,
    })
    expect(broken.status).toBe(400)
  })
})
