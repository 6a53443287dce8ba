// The IMAP poller against a real Dovecot on loopback: tickets from a mailbox, by UID, flagged only after
// commit, and a crash in the middle of a poll neither loses nor duplicates a message.
import { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImapPoller, pollMailbox } from '../src/jobs/imapPolling.ts'
import { connect } from '../src/mail/imapPoller.ts'
import { Client } from './support/client.ts'
import { DOVECOT_PASSWORD, startDovecot, type Dovecot } from './support/dovecot.ts'
import { until } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('IMAP polling on %s', (kind) => {
  let t: TestServer
  let dovecot: Dovecot
  let mailboxId: number
  let billingId: number
  const user = `helpdesk-${kind}@example.com`

  const imap = () =>
    new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user, pass: DOVECOT_PASSWORD },
      logger: false,
    })
  const message = (n: number) =>
    `From: Ken Adams <ken@example.com>\r\nTo: ${user}\r\nSubject: IMAP ${kind} ${n}\r\n` +
    `Message-ID: <imap-${kind}-${n}@client.example>\r\n\r\nMessage number ${n}.\r\n`
  const filed = async () =>
    (
      await t.app.db.read
        .selectFrom('tickets')
        .select(['subject', 'department_id'])
        .where('subject', 'like', `IMAP ${kind} %`)
        .orderBy('id')
        .execute()
    ).map((r) => r.subject)

  beforeAll(async () => {
    dovecot = await startDovecot()
    t = await startServer(kind)
    const admin = await new Client(t.url).as('admin@example.com')
    const departments = await admin.get('/api/v1/departments')
    billingId = departments.body.items.find((d: { name: string }) => d.name === 'Billing').id
    const created = await admin.post('/api/v1/admin/mailboxes', {
      name: 'Billing inbox',
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      username: user,
      password: DOVECOT_PASSWORD,
      departmentId: billingId,
    })
    expect(created.status).toBe(201)
    mailboxId = created.body.id
  })
  afterAll(async () => {
    await t?.close()
    await dovecot?.close()
  })

  it('files every message once, even when the poller dies in the middle of a poll', async () => {
    const setup = imap()
    await setup.connect()
    for (let n = 1; n <= 5; n++) await setup.append('INBOX', message(n))
    await setup.logout()

    // First poller: dies right after the third message's ticket committed, before flagging it.
    const mailbox = await t.app.db.read
      .selectFrom('mailboxes')
      .selectAll()
      .where('id', '=', mailboxId)
      .executeTakeFirstOrThrow()
    const doomed = connect(mailbox, t.app.config.secretKey)
    await doomed.connect()
    let committed = 0
    await expect(
      pollMailbox(t.app, doomed, mailboxId, {
        afterCommit: () => {
          if (++committed === 3) throw new Error('killed')
        },
      }),
    ).rejects.toThrow('killed')
    doomed.close()
    expect(await filed()).toEqual([`IMAP ${kind} 1`, `IMAP ${kind} 2`, `IMAP ${kind} 3`])

    // The restarted poller picks up where the committed state says, and IDLE brings in new mail.
    const poller = new ImapPoller(t.app)
    try {
      await poller.sync()
      const all = [1, 2, 3, 4, 5].map((n) => `IMAP ${kind} ${n}`)
      await until(async () => ((await filed()).length >= 5 ? true : undefined))
      const late = imap()
      await late.connect()
      await late.append('INBOX', message(6))
      await until(async () => ((await filed()).length >= 6 ? true : undefined))
      await late.logout()
      expect(await filed()).toEqual([...all, `IMAP ${kind} 6`])
      const departments = await t.app.db.read
        .selectFrom('tickets')
        .select('department_id')
        .where('subject', 'like', `IMAP ${kind} %`)
        .execute()
      expect(new Set(departments.map((d) => d.department_id))).toEqual(new Set([billingId]))

      // Every message is flagged \Seen on the server, and last_uid is the newest UID.
      const check = imap()
      await check.connect()
      await check.mailboxOpen('INBOX')
      const flags = await until(async () => {
        const list = await check.fetchAll('1:*', { uid: true, flags: true })
        return list.every((m) => m.flags?.has('\\Seen')) ? list : undefined
      })
      await check.logout()
      expect(flags).toHaveLength(6)
      const row = await t.app.db.read
        .selectFrom('mailboxes')
        .select(['last_uid', 'last_error'])
        .where('id', '=', mailboxId)
        .executeTakeFirstOrThrow()
      expect(row.last_uid).toBe(Math.max(...flags.map((f) => f.uid)))
      const stored = await t.app.db.read
        .selectFrom('inbound_mail')
        .select('id')
        .where('source', '=', 'imap')
        .execute()
      expect(stored).toHaveLength(6)
    } finally {
      await poller.stop()
    }
  })
})
