// osTicket's own clients, replayed: the examples of its API documentation (setup/doc/api/tickets.md) as JSON,
// XML and raw mail, each with the Content-Type the client really sends (curl's default
// application/x-www-form-urlencoded for api_ticket_create.php, automail.php and `curl -d`), and rcron.php's
// POST /api/tasks/cron. The help topic and form fields are those of the osTicket fixture (FIXTURE.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSession } from '../src/commands/auth.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const FORM = 'application/x-www-form-urlencoded'

// osTicket's JSON example, as documented except for its two typos (a comma after the last attachment, which its
// own text says JSON forbids, and a base64 value cut short with "...").
const GIF =
  'R0lGODdhMAAwAPAAAAAAAP///ywAAAAAMAAwAAAC8IyPqcvt3wCcDkiLc7C0qwyGHhSWpjQu5yqmCYsapyuvUUlvONmOZtfzgFzByTB10QgxOR0TqBQejhRNzOfkVJ+5YiUqrXF5Y5lKh/DeuNcP5yLWGsEbtLiOSpa/TPg7JpJHxyendzWTBfX0cxOnKPjgBzi4diinWGdkF8kjdfnycQZXZeYGejmJlZeGl9i2icVqaNVailT6F5iJ90m6mvuTS4OK05M0vDk0Q4XUtwvKOzrcd3iq9uisF81M1OIcR7lEewwcLp7tuNNkM3uNna3F2JQFo97Vriy/Xl4/f1cf5VWzXyym7PHhhx4dbgYKAAA7'
const JSON_EXAMPLE = {
  alert: true,
  autorespond: true,
  source: 'API',
  name: 'Angry User',
  email: 'api@osticket.com',
  phone: '3185558634X123',
  subject: 'Testing API',
  ip: '123.211.233.122',
  message: 'MESSAGE HERE',
  attachments: [
    { 'file.txt': 'data:text/plain;charset=utf-8,content' },
    { 'image.png': `data:image/png;base64,${GIF}` },
  ],
}

// osTicket's XML example, verbatim.
const XML_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<ticket alert="true" autorespond="true" source="API">
    <name>Angry User</name>
    <email>api@osticket.com</email>
    <subject>Testing API</subject>
    <phone ext="123">318-555-8634</phone>
    <message><![CDATA[Message content here]]></message>
    <attachments>
        <file name="file.txt" type="text/plain"><![CDATA[
            File content is here and is automatically trimmed
        ]]></file>
        <file name="image.gif" type="image/gif" encoding="base64">
            R0lGODdhMAAwAPAAAAAAAP///ywAAAAAMAAwAAAC8IyPqcvt3wCcDkiLc7C0qwy
            GHhSWpjQu5yqmCYsapyuvUUlvONmOZtfzgFzByTB10QgxOR0TqBQejhRNzOfkVJ
            +5YiUqrXF5Y5lKh/DeuNcP5yLWGsEbtLiOSpa/TPg7JpJHxyendzWTBfX0cxOnK
            PjgBzi4diinWGdkF8kjdfnycQZXZeYGejmJlZeGl9i2icVqaNVailT6F5iJ90m6
            mvuTS4OK05M0vDk0Q4XUtwvKOzrcd3iq9uisF81M1OIcR7lEewwcLp7tuNNkM3u
            Nna3F2JQFo97Vriy/Xl4/f1cf5VWzXyym7PHhhx4dbgYKAAA7
        </file>
    </attachments>
    <ip>123.211.233.122</ip>
</ticket>
`

describe.each(DATABASES)('osTicket clients against Switchboard on %s', (kind) => {
  const clock = new FixedClock(Date.now())
  let t: TestServer
  let admin: Client
  let john: Client
  let key: string
  let cronKey: string
  let hardwareFault: number
  let priorityPlan: number
  let technicalSupport: number

  const post = async (path: string, body: string, contentType: string | undefined, apiKey = key) => {
    const res = await fetch(t.url + path, {
      method: 'POST',
      body,
      headers: { 'x-api-key': apiKey, ...(contentType ? { 'content-type': contentType } : {}) },
    })
    return { status: res.status, text: await res.text() }
  }

  /** What osTicket keeps of a ticket, read back as an agent sees it. */
  const stored = async (number: string) => {
    const detail = await john.get(`/api/v1/tickets/${number}`)
    expect(detail.status).toBe(200)
    const mail = await john.get(`/api/v1/tickets/${number}/mail`)
    const created = detail.body.events.find((e: { type: string }) => e.type === 'ticket.created')
    const files = await Promise.all(
      (mail.body.entries[0].attachments as { id: number; filename: string; contentType: string }[]).map(
        async (a) => {
          const res = await fetch(`${t.url}/api/v1/tickets/${number}/attachments/${a.id}`, {
            headers: { authorization: `Bearer ${john.token}` },
          })
          return {
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(await res.arrayBuffer()),
          }
        },
      ),
    )
    return {
      ticket: detail.body.ticket,
      message: detail.body.thread[0].body as string,
      html: mail.body.entries[0].html as string | null,
      submitter: created.after.submitter as Record<string, string> | undefined,
      files,
    }
  }

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    admin = await new Client(t.url).as('admin@example.com')
    key = (
      await admin.post('/api/v1/admin/api-keys', { name: 'osTicket scripts', scopes: ['tickets:create'] })
    ).body.key
    cronKey = (await admin.post('/api/v1/admin/api-keys', { name: 'rcron', scopes: ['tasks:cron'] })).body.key
    // The fixture's "Hardware Fault" topic (id 13 there): Technical Support, high, "Priority 4h", Device Details.
    const dept = await admin.post('/api/v1/admin/departments', { name: 'Technical Support' })
    expect(dept.status).toBe(201)
    technicalSupport = dept.body.department.id
    // The fixture's Maria Lopez reads everything back: Support (the default) and Technical Support.
    const support = (await admin.get('/api/v1/admin/departments')).body.items.find(
      (d: { name: string }) => d.name === 'Support',
    ).id
    const maria = await admin.post('/api/v1/admin/agents', {
      name: 'Maria Lopez',
      email: 'maria.lopez@acme-fixture.test',
      password: 'Agent#Maria2024',
      primaryDepartmentId: technicalSupport,
      memberships: [
        { departmentId: technicalSupport, role: 'all_access' },
        { departmentId: support, role: 'all_access' },
      ],
    })
    expect(maria.status).toBe(201)
    john = await new Client(t.url).as('maria.lopez@acme-fixture.test', 'Agent#Maria2024')
    const plans = (await admin.get('/api/v1/admin/sla-plans')).body.items as { id: number }[]
    priorityPlan = plans[0]!.id
    for (const field of [
      { key: 'serial_number', label: 'Serial Number', type: 'text' },
      {
        key: 'device_type',
        label: 'Device Type',
        type: 'select',
        options: ['laptop', 'desktop', 'phone', 'printer'],
      },
      { key: 'purchase_date', label: 'Purchase Date', type: 'date', clientVisible: false },
    ])
      expect((await admin.post('/api/v1/admin/custom-fields', field)).status).toBe(201)
    const topic = await admin.post('/api/v1/admin/topics', {
      name: 'Hardware Fault',
      departmentId: technicalSupport,
      priority: 'high',
      slaPlanId: priorityPlan,
      fields: ['serial_number', 'device_type', 'purchase_date'],
      isPublic: false,
    })
    expect(topic.status).toBe(201)
    hardwareFault = topic.body.id
  })
  afterAll(() => t.close())

  it('takes the JSON example as api_ticket_create.php and curl -d send it (form-urlencoded), and as JSON', async () => {
    for (const contentType of [FORM, 'application/json', 'text/plain', undefined]) {
      const res = await post('/api/tickets.json', JSON.stringify(JSON_EXAMPLE), contentType)
      expect(res.status, `${contentType}: ${res.text}`).toBe(201)
      expect(res.text).toMatch(/^\d{6,}$/)
      const s = await stored(res.text)
      expect(s.ticket).toMatchObject({
        subject: 'Testing API',
        source: 'api',
        priority: 'normal',
        requester: { name: 'Angry User', email: 'api@osticket.com' },
      })
      expect(s.message).toBe('MESSAGE HERE')
      expect(s.submitter).toEqual({ ip: '123.211.233.122', phone: '3185558634X123' })
      expect(s.files).toEqual([
        { filename: 'file.txt', contentType: 'text/plain', content: Buffer.from('content') },
        { filename: 'image.png', contentType: 'image/png', content: Buffer.from(GIF, 'base64') },
      ])
    }
    // A real form (curl -d name=… -d email=…), which osTicket itself could not read, is read as fields.
    const form = new URLSearchParams({
      name: 'Form Sender',
      email: 'form@customer.example',
      subject: 'Sent with curl -d',
      message: 'Hello & goodbye',
      priorityId: '3',
    })
    const res = await post('/api/tickets.json', form.toString(), FORM)
    expect(res.status, res.text).toBe(201)
    const s = await stored(res.text)
    expect(s.ticket).toMatchObject({ subject: 'Sent with curl -d', priority: 'high' })
    expect(s.message).toBe('Hello & goodbye')
  })

  it('maps priorityId as osTicket numbers them: 1 Low, 2 Normal, 3 High, 4 Emergency', async () => {
    const got: Record<string, string> = {}
    for (const priorityId of [1, 2, 3, 4, '1']) {
      const res = await post(
        '/api/tickets.json',
        JSON.stringify({
          email: 'prio@customer.example',
          subject: `P${priorityId}`,
          message: 'm',
          priorityId,
        }),
        FORM,
      )
      expect(res.status, res.text).toBe(201)
      got[`${typeof priorityId}${priorityId}`] = (await stored(res.text)).ticket.priority
    }
    expect(got).toEqual({
      number1: 'low',
      number2: 'normal',
      number3: 'high',
      number4: 'emergency',
      string1: 'low',
    })
    const bad = await post(
      '/api/tickets.json',
      JSON.stringify({ email: 'prio@customer.example', subject: 's', message: 'm', priorityId: 5 }),
      FORM,
    )
    expect(bad).toMatchObject({ status: 400, text: expect.stringContaining('priority') })
  })

  it('routes by topicId and fills the custom form fields sent by name; ip, phone, notes and source are kept', async () => {
    const res = await post(
      '/api/tickets.json',
      JSON.stringify({
        name: 'Alice Anderson',
        email: 'alice.anderson@globex.test',
        subject: 'Laptop will not boot',
        message:
          'data:text/html;charset=utf-8,<p>It <b>beeps</b> three times</p><img src=x onerror=alert(1)>',
        topicId: hardwareFault,
        serial_number: 'SN-4711',
        device_type: 'Laptop',
        purchase_date: '2024-03-01',
        ip: '198.51.100.7',
        phone: '+49 30 1234567',
        phone_ext: '89',
        notes: 'VIP customer, call before visiting',
        source: 'Email',
        'unknown field': 'ignored, as osTicket ignores it',
      }),
      FORM,
    )
    expect(res.status, res.text).toBe(201)
    const s = await stored(res.text)
    expect(s.ticket).toMatchObject({
      source: 'email',
      priority: 'high',
      department: { id: technicalSupport, name: 'Technical Support' },
      topic: { id: hardwareFault, name: 'Hardware Fault' },
      sla: { plan: { id: priorityPlan } },
      customFields: { serial_number: 'SN-4711', device_type: 'laptop', purchase_date: '2024-03-01' },
    })
    expect(s.html).toBe('<p>It <b>beeps</b> three times</p>')
    expect(s.submitter).toEqual({
      ip: '198.51.100.7',
      phone: '+49 30 1234567 X89',
      notes: 'VIP customer, call before visiting',
    })
    // The customer never gets the creation event (with the notes), nor the agent-only purchase date.
    const ticket = await t.app.db.read
      .selectFrom('tickets')
      .select(['requester_id'])
      .where('number', '=', res.text)
      .executeTakeFirstOrThrow()
    const grant = await startSession(t.app, ticket.requester_id, { ip: null, userAgent: null })
    const asAlice = await new Client(t.url, grant.token).get(`/api/v1/tickets/${res.text}`)
    expect(asAlice.status).toBe(200)
    expect(asAlice.body.events).toEqual([])
    expect(asAlice.body.ticket.customFields).toEqual({ serial_number: 'SN-4711', device_type: 'laptop' })
    expect(JSON.stringify(asAlice.body)).not.toContain('VIP customer')

    // An explicit priorityId wins over the topic's priority, as in osTicket.
    const low = await post(
      '/api/tickets.json',
      JSON.stringify({
        email: 'a@globex.test',
        subject: 's',
        message: 'm',
        topicId: hardwareFault,
        priorityId: 1,
      }),
      FORM,
    )
    expect((await stored(low.text)).ticket).toMatchObject({ priority: 'low', topic: { id: hardwareFault } })

    for (const [body, code] of [
      [{ email: 'a@globex.test', subject: 's', message: 'm', topicId: 999 }, 'topic'],
      [{ email: 'a@globex.test', subject: 's', message: 'm', source: 'Phone' }, 'Source'],
      [
        {
          email: 'a@globex.test',
          subject: 's',
          message: 'm',
          topicId: hardwareFault,
          device_type: 'toaster',
        },
        'device_type',
      ],
      [{ email: 'a@globex.test', subject: 's', message: 'm', purchase_date: 'last spring' }, 'purchase_date'],
    ] as const) {
      const r = await post('/api/tickets.json', JSON.stringify(body), FORM)
      expect(r, JSON.stringify(body)).toMatchObject({ status: 400, text: expect.stringContaining(code) })
    }
  })

  it('takes the XML example at /api/tickets.xml, and fields as attributes, HTML and custom fields', async () => {
    for (const contentType of [FORM, 'application/xml', 'text/xml']) {
      const res = await post('/api/tickets.xml', XML_EXAMPLE, contentType)
      expect(res.status, res.text).toBe(201)
      const s = await stored(res.text)
      expect(s.ticket).toMatchObject({
        subject: 'Testing API',
        source: 'api',
        priority: 'normal',
        requester: { name: 'Angry User', email: 'api@osticket.com' },
      })
      expect(s.message).toBe('Message content here')
      expect(s.submitter).toEqual({ ip: '123.211.233.122', phone: '318-555-8634 X123' })
      expect(s.files).toEqual([
        {
          filename: 'file.txt',
          contentType: 'text/plain',
          content: Buffer.from('File content is here and is automatically trimmed'),
        },
        { filename: 'image.gif', contentType: 'image/gif', content: Buffer.from(GIF, 'base64') },
      ])
    }

    const attrs =
      `<ticket name="Zo&#235; &amp; Co" email="zoe.zimmermann@mail.example.net" subject="Drucker &lt;kaputt&gt;" ` +
      `alert="false" autorespond="false" topicId="${hardwareFault}" priorityId="4">` +
      `<message type="text/html"><![CDATA[<p>Paper <i>jam</i></p><script>alert(1)</script>]]></message>` +
      `<serial_number>PR-1</serial_number><device_type>printer</device_type></ticket>`
    const res = await post('/api/tickets.xml', attrs, FORM)
    expect(res.status, res.text).toBe(201)
    const s = await stored(res.text)
    expect(s.ticket).toMatchObject({
      subject: 'Drucker <kaputt>',
      priority: 'emergency',
      requester: { name: 'Zoë & Co' },
      topic: { id: hardwareFault },
      customFields: { serial_number: 'PR-1', device_type: 'printer' },
    })
    expect(s.html).toBe('<p>Paper <i>jam</i></p>')
    expect(s.message).toContain('Paper jam')

    // No entity expansion: a DOCTYPE is refused, and so is XML that is not a ticket or not well-formed.
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' +
      '<ticket email="x@y.example" subject="&b;" message="&b;"/>'
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<ticket email="x@y.example" subject="s"><message>&x;</message></ticket>'
    for (const body of [bomb, xxe, '<ticket><email>x@y.example', '<order/>', '', 'not xml at all'])
      expect((await post('/api/tickets.xml', body, FORM)).status, body).toBe(400)
    // Undefined entities stay as they were written.
    const plain = await post(
      '/api/tickets.xml',
      '<ticket email="x@y.example" subject="s"><message>a &nbsp; b</message></ticket>',
      FORM,
    )
    expect((await stored(plain.text)).message).toBe('a &nbsp; b')
  })

  it('files raw mail as automail.php posts it (form-urlencoded) to /api/tickets.email', async () => {
    const raw =
      'From: Gwen Garcia <gwen.garcia@initech.test>\r\nTo: support@example.com\r\n' +
      `Subject: Piped by automail.php\r\nMessage-ID: <automail-php-${kind}@initech.test>\r\n` +
      'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n' +
      '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe printer is on fire\r\n' +
      '--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The printer is <b>on fire</b></p>\r\n--b--\r\n'
    const res = await post('/api/tickets.email', raw, FORM)
    expect(res.status, res.text).toBe(201)
    const s = await stored(res.text)
    expect(s.ticket).toMatchObject({
      subject: 'Piped by automail.php',
      requester: { email: 'gwen.garcia@initech.test' },
    })
    expect(s.message).toContain('The printer is on fire')
    expect(s.html).toContain('<b>on fire</b>')
    // automail.php retries on anything but 201; the same mail again answers with the same number.
    expect(await post('/api/tickets.email', raw, FORM)).toEqual({ status: 201, text: res.text })
  })

  it('runs one round of the sweeps for rcron.php at POST /api/tasks/cron', async () => {
    const created = await post(
      '/api/tickets.json',
      JSON.stringify({ email: 'sleepy@customer.example', subject: 'Snooze me', message: 'm' }),
      FORM,
    )
    const number = created.text
    let ticket = (await john.get(`/api/v1/tickets/${number}`)).body.ticket
    ticket = (await john.patch(`/api/v1/tickets/${number}`, { version: ticket.version, status: 'pending' }))
      .body.ticket
    const until = new Date(clock.now() + 3_600_000).toISOString()
    const snoozed = await john.request('PUT', `/api/v1/tickets/${number}/snooze`, {
      version: ticket.version,
      until,
    })
    expect(snoozed.status).toBe(200)

    // rcron.php posts with curl's default content type and no body; only a key with tasks:cron may.
    expect((await post('/api/tasks/cron', '', FORM, key)).status).toBe(401)
    expect((await post('/api/tasks/cron', '', FORM, '')).status).toBe(401)
    clock.advance(2 * 3_600_000)
    expect((await john.get(`/api/v1/tickets/${number}`)).body.ticket.status).toBe('pending')
    expect(await post('/api/tasks/cron', '', FORM, cronKey)).toEqual({ status: 200, text: 'Completed' })
    expect((await john.get(`/api/v1/tickets/${number}`)).body.ticket).toMatchObject({
      status: 'open',
      snoozedUntil: null,
    })
    expect(await post('/api/tasks/cron', '', undefined, cronKey)).toEqual({ status: 200, text: 'Completed' })
    // A cron key creates nothing.
    expect((await post('/api/tickets.json', JSON.stringify(JSON_EXAMPLE), FORM, cronKey)).status).toBe(401)
  })
})
