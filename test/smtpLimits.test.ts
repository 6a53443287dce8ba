// What one SMTP client may hold of the listener (issue 9, finding 2): connections in all and per IP are
// capped (421), a silent connection is closed, a message over the size limit is answered 552 without being
// kept, and the memory budget turns away what does not fit with 452. The flood itself is test/smtpFlood.test.ts.
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSmtpListener, type SmtpListener } from '../src/mail/smtpListener.ts'
import { RawSmtp } from './support/smtpClient.ts'
import { startServer, type TestServer } from './support/testServer.ts'

describe('SMTP listener limits', () => {
  let t: TestServer
  let listener: SmtpListener | undefined
  const open: RawSmtp[] = []

  beforeAll(async () => {
    t = await startServer('sqlite')
  })
  afterEach(async () => {
    for (const c of open.splice(0)) c.close()
    await listener?.close()
    listener = undefined
  })
  afterAll(() => t.close())

  async function listen(
    limits: Partial<TestServer['app']['config']['mail']['smtp']>,
    maxMessageBytes?: number,
  ) {
    const base = t.app.config.mail
    t.app.config.mail = {
      ...base,
      ...(maxMessageBytes ? { maxMessageBytes } : {}),
      smtp: { ...base.smtp, ...limits },
    }
    listener = await startSmtpListener(t.app, 0, '127.0.0.1')
    return listener.port
  }
  const connect = async (port: number) => {
    const c = await RawSmtp.open(port)
    open.push(c.smtp)
    return c
  }

  it('refuses a connection over the per-IP limit with 421, and takes one again once a slot is free', async () => {
    const port = await listen({ maxConnectionsPerIp: 2, maxConnections: 50 })
    const a = await connect(port)
    const b = await connect(port)
    expect(a.greeting?.code).toBe(220)
    expect(b.greeting?.code).toBe(220)
    const third = await connect(port)
    expect(third.greeting?.code).toBe(421)
    expect(third.greeting?.text).toMatch(/too many connections from your address/i)
    await third.smtp.closed
    // The other two still work.
    expect((await a.smtp.command('EHLO client.test'))?.code).toBe(250)
    a.smtp.close()
    await a.smtp.closed
    await new Promise((r) => setTimeout(r, 50))
    const again = await connect(port)
    expect(again.greeting?.code).toBe(220)
  })

  it('refuses a connection over the total limit with 421', async () => {
    const port = await listen({ maxConnectionsPerIp: 50, maxConnections: 3 })
    for (let i = 0; i < 3; i++) expect((await connect(port)).greeting?.code).toBe(220)
    const extra = await connect(port)
    expect(extra.greeting?.code).toBe(421)
    await extra.smtp.closed
  })

  it('closes a connection that says nothing within the idle timeout', async () => {
    const port = await listen({ idleTimeoutMs: 300 })
    const { smtp, greeting } = await connect(port)
    expect(greeting?.code).toBe(220)
    // Any reply (smtp-server says 421 on a timeout) and then the close; the test's own timeout is the bound.
    await smtp.closed
    expect(smtp.socket.destroyed).toBe(true)
  })

  it('answers 552 to a message over the size limit and keeps nothing of it', async () => {
    const port = await listen({}, 256 * 1024)
    const before = await t.app.db.read
      .selectFrom('inbound_mail')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const { smtp } = await connect(port)
    expect((await smtp.begin('flood@client.test', 'support@example.com'))?.code).toBe(354)
    const reply = await smtp.sendBody(4 * 1024 * 1024)
    expect(reply?.code).toBe(552)
    // The session goes on: the next message is taken.
    expect((await smtp.begin('flood@client.test', 'support@example.com'))?.code).toBe(354)
    expect((await smtp.sendBody(10_000, 'small one'))?.code).toBe(250)
    await listener!.idle()
    const after = await t.app.db.read
      .selectFrom('inbound_mail')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n) - Number(before.n)).toBe(1)
  })

  it('stores a message larger than what it keeps in memory byte for byte, and leaves no spool file', async () => {
    const port = await listen({}, 8 * 1024 * 1024)
    const { smtp } = await connect(port)
    expect((await smtp.begin('big@client.test', 'support@example.com'))?.code).toBe(354)
    const reply = await smtp.sendBody(3 * 1024 * 1024, 'three MiB')
    expect(reply?.code).toBe(250)
    const id = Number(/Queued as (\d+)/.exec(reply!.text)?.[1])
    const row = await t.app.db.read
      .selectFrom('inbound_mail')
      .select('raw')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const raw = Buffer.from(row.raw).toString('latin1')
    expect(raw.startsWith('From: <flood@client.test>\r\n')).toBe(true)
    expect(raw.length).toBeGreaterThan(3 * 1024 * 1024)
    expect(raw.replace(/^[\s\S]*?\r\n\r\n/, '').replace(/x{998}\r\n/g, '')).toBe('')
    await listener!.idle()
    expect(listener!.spoolDirectory.startsWith(tmpdir())).toBe(true)
    expect(readdirSync(listener!.spoolDirectory)).toEqual([])
  })

  it('answers 452 to a message that does not fit in the memory budget while another is being received', async () => {
    const port = await listen({ maxBufferedBytes: 300 * 1024 }, 256 * 1024)
    const a = await connect(port)
    const b = await connect(port)
    expect((await a.smtp.begin('one@client.test', 'support@example.com'))?.code).toBe(354)
    expect((await b.smtp.begin('two@client.test', 'support@example.com'))?.code).toBe(354)
    // A holds 200 KiB of an unfinished message; B's 200 KiB does not fit beside it.
    a.smtp.socket.write(`Subject: one\r\n\r\n${'a'.repeat(200 * 1024)}\r\n`)
    await new Promise((r) => setTimeout(r, 200))
    expect((await b.smtp.sendBody(200 * 1024, 'two'))?.code).toBe(452)
    a.smtp.socket.write('.\r\n')
    expect((await a.smtp.reply())?.code).toBe(250)
    // With A stored, the budget is free again.
    expect((await b.smtp.begin('two@client.test', 'support@example.com'))?.code).toBe(354)
    expect((await b.smtp.sendBody(200 * 1024, 'two again'))?.code).toBe(250)
    await listener!.idle()
  })
})
