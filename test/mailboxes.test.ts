// IMAP mailboxes through the admin API: list, add, change, disable, test the connection against a real
// Dovecot, delete; the password sealed at rest (AES-256-GCM under SECRET_KEY) and never in an answer or event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sealStoredMailboxPasswords } from '../src/commands/admin/mailboxes.ts'
import { mailboxPasswordBox } from '../src/domain/secretBox.ts'
import { Client } from './support/client.ts'
import { DOVECOT_PASSWORD, startDovecot, type Dovecot } from './support/dovecot.ts'
import { DATABASES, startServer, TEST_SECRET_KEY, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('IMAP mailboxes on %s', (kind) => {
  let t: TestServer
  let dovecot: Dovecot
  let admin: Client
  let billingId: number
  beforeAll(async () => {
    dovecot = await startDovecot()
    t = await startServer(kind)
    admin = await new Client(t.url).as('admin@example.com')
    billingId = (await admin.get('/api/v1/departments')).body.items.find(
      (d: { name: string }) => d.name === 'Billing',
    ).id
  })
  afterAll(async () => {
    await t?.close()
    await dovecot?.close()
  })

  const storedPassword = async (id: number) =>
    (
      await t.app.db.read
        .selectFrom('mailboxes')
        .select('password')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).password

  it('adds, lists, changes, tests and deletes a mailbox, never showing its password', async () => {
    const password = `${DOVECOT_PASSWORD}`
    const created = await admin.post('/api/v1/admin/mailboxes', {
      name: 'Billing inbox',
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      username: `kit-${kind}@example.com`,
      password,
      departmentId: billingId,
    })
    expect(created.status).toBe(201)
    const id = created.body.id as number
    expect(created.body).toMatchObject({
      name: 'Billing inbox',
      folder: 'INBOX',
      isActive: true,
      secure: false,
    })
    expect(created.body).not.toHaveProperty('password')

    // At rest: sealed, not the password, and it opens to the password with the server's key only.
    const stored = await storedPassword(id)
    expect(stored).toMatch(/^sealed:v1:/)
    expect(stored).not.toContain(password)
    expect(mailboxPasswordBox(TEST_SECRET_KEY)!.open(stored)).toBe(password)
    expect(() => mailboxPasswordBox('another-key-of-at-least-thirty-two-chars')!.open(stored)).toThrow()

    const listed = await admin.get('/api/v1/admin/mailboxes')
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((m: { id: number }) => m.id)).toContain(id)
    expect(JSON.stringify(listed.body)).not.toContain(password)
    expect(JSON.stringify(listed.body)).not.toContain('sealed:')

    const ok = await admin.post(`/api/v1/admin/mailboxes/${id}/test`, {})
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ ok: true, messages: expect.any(Number) })

    // A rename keeps the password; a wrong password makes the test fail with the server's words.
    const renamed = await admin.patch(`/api/v1/admin/mailboxes/${id}`, { name: 'Invoices' })
    expect(renamed.status).toBe(200)
    expect(renamed.body.name).toBe('Invoices')
    expect(await storedPassword(id)).toBe(stored)
    const wrong = await admin.patch(`/api/v1/admin/mailboxes/${id}`, { password: 'not-the-password' })
    expect(wrong.status).toBe(200)
    const sealedWrong = await storedPassword(id)
    expect(sealedWrong).toMatch(/^sealed:v1:/)
    expect(sealedWrong).not.toBe(stored)
    const failed = await admin.post(`/api/v1/admin/mailboxes/${id}/test`, {})
    expect(failed.body.ok).toBe(false)
    expect(failed.body.error).toEqual(expect.any(String))

    const disabled = await admin.patch(`/api/v1/admin/mailboxes/${id}`, { isActive: false })
    expect(disabled.body.isActive).toBe(false)

    // The events say what changed, never the password.
    const events = await t.app.db.read
      .selectFrom('events')
      .select(['type', 'before', 'after'])
      .where('type', 'like', 'admin.mailbox.%')
      .execute()
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['admin.mailbox.created', 'admin.mailbox.updated']),
    )
    for (const e of events) {
      expect(JSON.stringify(e)).not.toContain(password)
      expect(JSON.stringify(e)).not.toContain('not-the-password')
      expect(JSON.stringify(e)).not.toContain('sealed:')
    }

    expect((await admin.request('DELETE', `/api/v1/admin/mailboxes/${id}`)).status).toBe(204)
    expect((await admin.request('DELETE', `/api/v1/admin/mailboxes/${id}`)).status).toBe(404)
    expect(
      (await admin.get('/api/v1/admin/mailboxes')).body.items.some((m: { id: number }) => m.id === id),
    ).toBe(false)
  })

  it('refuses bad input with stable codes', async () => {
    const base = { name: 'X', host: 'imap.example.com', port: 993, username: 'u', password: 'p' }
    const unknown = await admin.post('/api/v1/admin/mailboxes', { ...base, departmentId: 999_999 })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.code).toBe('unknown_department')
    const badPort = await admin.post('/api/v1/admin/mailboxes', { ...base, port: 0, departmentId: billingId })
    expect(badPort.status).toBe(400)
    expect((await admin.patch('/api/v1/admin/mailboxes/999999', { name: 'Y' })).status).toBe(404)
  })

  it('seals passwords stored in plain text before sealing existed', async () => {
    const legacy = await t.app.db.writer
      .insertInto('mailboxes')
      .values({
        name: 'Old inbox',
        host: '127.0.0.1',
        port: dovecot.port,
        secure: 0,
        username: `legacy-${kind}@example.com`,
        password: DOVECOT_PASSWORD,
        folder: 'INBOX',
        department_id: billingId,
        is_active: 0,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // A plain row still logs in (the poller reads both forms) ...
    expect((await admin.post(`/api/v1/admin/mailboxes/${legacy.id}/test`, {})).body.ok).toBe(true)
    expect(await sealStoredMailboxPasswords(t.app)).toBeGreaterThanOrEqual(1)
    const sealed = await storedPassword(legacy.id)
    expect(sealed).toMatch(/^sealed:v1:/)
    // ... and after sealing it still does; a second run has nothing left to seal.
    expect((await admin.post(`/api/v1/admin/mailboxes/${legacy.id}/test`, {})).body.ok).toBe(true)
    expect(await sealStoredMailboxPasswords(t.app)).toBe(0)
  })
})

describe('a server without SECRET_KEY', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer('sqlite', { config: { secretKey: undefined } })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('refuses to store a mailbox password rather than keep it in plain text', async () => {
    const admin = await new Client(t.url).as('admin@example.com')
    const departmentId = (await admin.get('/api/v1/departments')).body.items[0].id
    const res = await admin.post('/api/v1/admin/mailboxes', {
      name: 'Inbox',
      host: 'imap.example.com',
      port: 993,
      username: 'u',
      password: 'p',
      departmentId,
    })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('secret_key_missing')
    expect(res.body.error.message).toMatch(/SECRET_KEY/)
    expect(await t.app.db.read.selectFrom('mailboxes').select('id').execute()).toEqual([])
  })
})
