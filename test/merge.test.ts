// Merging tickets and undoing it (issue 12), on every database: a round trip leaves both tickets exactly as they
// were; mail and messages to a merged number join the target; a customer of one merged ticket never reads the
// other customer's messages; 20 merges into one ticket at once all land, each once.
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeBuffer } from '../src/repositories/attachmentStore.ts'
import { startSmtpListener, type SmtpListener } from '../src/mail/smtpListener.ts'
import { Client } from './support/client.ts'
import { until } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const DAY = 86_400_000
const MERGE_EVENTS = ['ticket.merged', 'ticket.merged_in', 'ticket.unmerged', 'ticket.unmerged_out']

describe.each(DATABASES)('merging tickets on %s', (kind) => {
  let t: TestServer
  let listener: SmtpListener
  let smtp: Transporter
  let john: Client
  let ken: Client
  let lena: Client
  let seq = 0
  const uniq = (s: string) => `${s} ${kind} ${++seq}`

  beforeAll(async () => {
    t = await startServer(kind)
    listener = await startSmtpListener(t.app, 0, '127.0.0.1')
    smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      ignoreTLS: true,
    })
    const anon = new Client(t.url)
    john = await anon.as('john@example.com')
    ken = await anon.as('ken@example.com')
    lena = await anon.as('lena@example.com')
  })
  afterAll(async () => {
    smtp.close()
    await listener.close()
    await t.close()
  })

  const open = async (who: Client, subject: string, message = 'First message.') => {
    const res = await who.post('/api/v1/tickets', { subject, message })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.ticket.number as string
  }
  const write = async (who: Client, number: string, body: string, internal = false) => {
    const res = await who.post(`/api/v1/tickets/${number}/messages`, { body, internal })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.entry.id as number
  }
  const version = async (number: string) => (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version
  const merge = async (source: string, into: string) =>
    john.post(`/api/v1/tickets/${source}/merge`, { into, version: await version(source) })
  const idOf = async (number: string) =>
    (
      await t.app.db.read
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', number)
        .executeTakeFirstOrThrow()
    ).id

  /** Every stored row that makes up a ticket, apart from merge bookkeeping and the version counter. */
  async function state(number: string) {
    const db = t.app.db.read
    const ticket = await db
      .selectFrom('tickets')
      .select(['id', 'status', 'closed_at', 'snoozed_until', 'last_activity_at', 'merged_into_id', 'subject'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow()
    const [entries, attachments, tags, collaborators, followers, events, tasks] = await Promise.all([
      db
        .selectFrom('thread_entries')
        .select(['id', 'ticket_id', 'kind', 'body', 'author_id', 'created_at', 'origin_ticket_id'])
        .where('ticket_id', '=', ticket.id)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('entry_attachments')
        .select(['id', 'entry_id', 'ticket_id', 'filename', 'size'])
        .where('ticket_id', '=', ticket.id)
        .orderBy('id')
        .execute(),
      db.selectFrom('ticket_tags').select('tag').where('ticket_id', '=', ticket.id).orderBy('tag').execute(),
      db
        .selectFrom('ticket_collaborators')
        .select(['user_id', 'created_at'])
        .where('ticket_id', '=', ticket.id)
        .orderBy('user_id')
        .execute(),
      db
        .selectFrom('ticket_followers')
        .select(['agent_id', 'created_at'])
        .where('ticket_id', '=', ticket.id)
        .orderBy('agent_id')
        .execute(),
      db
        .selectFrom('events')
        .select(['id', 'type', 'before', 'after', 'actor_id', 'created_at'])
        .where('ticket_id', '=', ticket.id)
        .where('type', 'not in', MERGE_EVENTS)
        .orderBy('id')
        .execute(),
      db.selectFrom('ticket_tasks').selectAll().where('ticket_id', '=', ticket.id).orderBy('id').execute(),
    ])
    const { id: _id, ...fields } = ticket
    return { fields, entries, attachments, tags, collaborators, followers, events, tasks }
  }

  it('moves the thread, tags, followers and collaborators, and unmerge puts both back byte for byte', async () => {
    const target = await open(ken, uniq('Printer broken'))
    const source = await open(ken, uniq('Printer broken (again)'), 'Same printer, written twice.')
    const withFile = await write(ken, source, 'Photo of the jam attached.')
    await t.app.db.writer
      .insertInto('entry_attachments')
      .values({
        entry_id: withFile,
        ticket_id: await idOf(source),
        filename: 'jam.txt',
        content_type: 'text/plain',
        size: 3,
        sha256: await storeBuffer(t.app.attachments, t.app.db.writer, Buffer.from('jam'), Date.now()),
        created_at: Date.now(),
      })
      .execute()
    expect((await john.post(`/api/v1/tickets/${source}/tasks`, { title: 'Replace the roller' })).status).toBe(
      201,
    )
    await write(john, source, 'Internal: duplicate of the other one.', true)
    await write(john, source, 'We are on it.')
    await write(ken, target, 'Still broken.')
    const tagged = await john.request('PUT', `/api/v1/tickets/${source}/tags`, {
      tags: ['printer', 'floor-2'],
    })
    expect(tagged.status, JSON.stringify(tagged.body)).toBe(200)
    expect((await john.request('PUT', `/api/v1/tickets/${target}/tags`, { tags: ['printer'] })).status).toBe(
      200,
    )
    const added = await john.post(`/api/v1/tickets/${source}/collaborators`, { email: 'lena@example.com' })
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    const alex = await new Client(t.url).as('alex@example.com')
    expect((await alex.request('PUT', `/api/v1/tickets/${source}/follow`)).status).toBe(204)
    const before = { source: await state(source), target: await state(target) }
    const sourceThread = (await john.get(`/api/v1/tickets/${source}`)).body.thread

    const merged = await merge(source, target)
    expect(merged.status, JSON.stringify(merged.body)).toBe(200)
    expect(merged.body.moved).toEqual({ entries: 4, tasks: 1, collaborators: 1, followers: 1, tags: 1 })
    expect(merged.body.source).toMatchObject({ mergedInto: target, statusCategory: 'closed' })

    // The source's number keeps working: 200 with mergedInto, and its own entries.
    const gone = await john.get(`/api/v1/tickets/${source}`)
    expect(gone.status).toBe(200)
    expect(gone.body.ticket.mergedInto).toBe(target)
    expect(gone.body.thread.map((e: { id: number }) => e.id)).toEqual(
      sourceThread.map((e: { id: number }) => e.id),
    )
    const joined = await john.get(`/api/v1/tickets/${target}`)
    expect(joined.body.thread).toHaveLength(6)
    expect(
      joined.body.thread.filter((e: { originTicket: string | null }) => e.originTicket === source),
    ).toHaveLength(4)
    // The task and the attachment came along: the task now blocks resolving the target.
    expect(
      (await john.get(`/api/v1/tickets/${target}/tasks`)).body.items.map((x: { title: string }) => x.title),
    ).toEqual(['Replace the roller'])
    const files = (await john.get(`/api/v1/tickets/${target}/mail`)).body.entries.flatMap(
      (e: { attachments: { filename: string }[] }) => e.attachments.map((a) => a.filename),
    )
    expect(files).toEqual(['jam.txt'])
    expect(joined.body.tags).toEqual(['floor-2', 'printer'])
    expect(joined.body.followers.map((f: { name: string }) => f.name)).toContain('Alex Kim')
    expect(joined.body.events.map((e: { type: string }) => e.type)).toContain('ticket.merged_in')
    expect(gone.body.events.map((e: { type: string }) => e.type)).toContain('ticket.merged')
    // The follower heard about it.
    await t.settle()
    const alexNotes = await alex.get('/api/v1/notifications')
    expect(JSON.stringify(alexNotes.body)).toContain(`merged #${source} into #${target}`)
    // Merging again, or merging into a merged ticket, is refused.
    expect((await merge(source, target)).body.error.code).toBe('already_merged')
    const third = await open(ken, uniq('Printer third'))
    expect((await merge(third, source)).body.error.code).toBe('merge_target_merged')

    const undone = await john.post(`/api/v1/tickets/${source}/unmerge`, {})
    expect(undone.status, JSON.stringify(undone.body)).toBe(200)
    expect(undone.body.source.mergedInto).toBeNull()
    expect(await state(source)).toEqual(before.source)
    expect(await state(target)).toEqual(before.target)
    expect((await john.post(`/api/v1/tickets/${source}/unmerge`, {})).body.error.code).toBe('not_merged')
    const events = (await john.get(`/api/v1/tickets/${source}`)).body.events.map(
      (e: { type: string }) => e.type,
    )
    expect(events.slice(-2)).toEqual(['ticket.merged', 'ticket.unmerged'])
  })

  it('keeps on the target what was written there since, and refuses an undo after the window', async () => {
    const target = await open(ken, uniq('Keyboard'))
    const source = await open(ken, uniq('Keyboard dup'))
    expect((await merge(source, target)).status).toBe(200)
    // Writing on the merged number goes to the target.
    const viaSource = await write(ken, source, 'Written on the old number.')
    const onTarget = await write(john, target, 'Answer on the target.')
    expect((await john.post(`/api/v1/tickets/${source}/unmerge`, {})).status).toBe(200)
    const targetThread = (await john.get(`/api/v1/tickets/${target}`)).body.thread.map(
      (e: { id: number }) => e.id,
    )
    expect(targetThread).toEqual(expect.arrayContaining([viaSource, onTarget]))
    const sourceThread = (await john.get(`/api/v1/tickets/${source}`)).body.thread.map(
      (e: { id: number }) => e.id,
    )
    expect(sourceThread).toHaveLength(1)

    expect((await merge(source, target)).status).toBe(200)
    // The merge was made 31 days ago (the window is 30 by default).
    await t.app.db.writer
      .updateTable('ticket_merges')
      .set({ merged_at: Date.now() - 31 * DAY })
      .where('source_id', '=', await idOf(source))
      .where('unmerged_at', 'is', null)
      .execute()
    const late = await john.post(`/api/v1/tickets/${source}/unmerge`, {})
    expect(late.status).toBe(409)
    expect(late.body.error.code).toBe('unmerge_window_passed')
  })

  it('refuses bad merges with a code a person can act on', async () => {
    const a = await open(ken, uniq('Bad merges'))
    expect((await merge(a, a)).body.error.code).toBe('merge_into_self')
    expect((await merge(a, '99999999')).body.error.code).toBe('merge_target_not_found')
    const b = await open(ken, uniq('Bad merges b'))
    const stale = await john.post(`/api/v1/tickets/${a}/merge`, { into: b, version: 999 })
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('version_conflict')
    expect((await john.post(`/api/v1/tickets/${a}/merge`, { into: 'x', version: 1 })).status).toBe(400)
    // Sam (Billing) cannot see a Support ticket: the same 404 as a missing one.
    const sam = await new Client(t.url).as('sam@example.com')
    expect((await sam.post(`/api/v1/tickets/${a}/merge`, { into: b, version: 1 })).status).toBe(404)
    expect((await ken.post(`/api/v1/tickets/${a}/merge`, { into: b, version: 1 })).status).toBe(403)
  })

  it("never shows one customer the other's messages, in the thread or search", async () => {
    const secret = `kensecret${kind}${seq}`
    const lenas = await open(lena, uniq('Lena VPN'), 'Lena cannot connect.')
    const kens = await open(ken, uniq('Ken VPN'), `Ken cannot connect: ${secret}.`)
    expect((await merge(kens, lenas)).status).toBe(200)
    // Lena's ticket holds Ken's message for agents only; Lena reads her own thread and nothing else.
    const lenaView = await lena.get(`/api/v1/tickets/${lenas}`)
    expect(JSON.stringify(lenaView.body)).not.toContain(secret)
    expect(lenaView.body.thread.map((e: { body: string }) => e.body)).toEqual(['Lena cannot connect.'])
    const agentView = await john.get(`/api/v1/tickets/${lenas}`)
    expect(JSON.stringify(agentView.body.thread)).toContain(secret)
    const found = await lena.get(`/api/v1/tickets?q=${secret}`)
    expect(found.body.items).toEqual([])
    // Ken still opens his ticket (merged) and reads his message; he cannot open Lena's.
    const kenView = await ken.get(`/api/v1/tickets/${kens}`)
    expect(kenView.status).toBe(200)
    expect(kenView.body.ticket.mergedInto).toBe(lenas)
    expect(kenView.body.thread.map((e: { body: string }) => e.body)).toEqual([
      `Ken cannot connect: ${secret}.`,
    ])
    expect((await ken.get(`/api/v1/tickets/${lenas}`)).status).toBe(404)
    // Ken writes again on his number: the message joins Lena's ticket for agents, still hidden from Lena.
    await write(ken, kens, `Any news? ${secret}`)
    expect(JSON.stringify((await lena.get(`/api/v1/tickets/${lenas}`)).body)).not.toContain(secret)
    expect(JSON.stringify((await john.get(`/api/v1/tickets/${lenas}`)).body.thread)).toContain(
      `Any news? ${secret}`,
    )
    expect((await ken.get(`/api/v1/tickets/${kens}`)).body.thread).toHaveLength(2)
    // Nobody became a collaborator of the other's ticket.
    const collaborators = await john.get(`/api/v1/tickets/${lenas}/collaborators`)
    expect(collaborators.body.items).toEqual([])
  })

  it('threads mail replying to the merged ticket into the target', async () => {
    const subject = uniq('Mail merged')
    const messageId = `<merge-${kind}-${seq}@client.example>`
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject,
      text: 'By mail.',
      messageId,
      attachments: [{ filename: 'screen.txt', content: 'error 42' }],
    })
    const source = await until(async () =>
      t.app.db.read.selectFrom('tickets').select('number').where('subject', '=', subject).executeTakeFirst(),
    )
    const target = await open(ken, uniq('Mail target'))
    expect((await merge(source.number, target)).status).toBe(200)
    // The attachment came along: downloaded through the target, and still through the merged number.
    const files = (await john.get(`/api/v1/tickets/${target}/mail`)).body.entries.flatMap(
      (e: { attachments: { id: number }[] }) => e.attachments,
    )
    expect(files).toHaveLength(1)
    for (const number of [target, source.number]) {
      const download = await fetch(`${t.url}/api/v1/tickets/${number}/attachments/${files[0].id}`, {
        headers: { authorization: `Bearer ${ken.token}` },
      })
      expect(await download.text()).toBe('error 42')
    }
    const replyId = `<merge-reply-${kind}-${seq}@client.example>`
    await smtp.sendMail({
      from: 'ken@example.com',
      to: 'support@example.com',
      subject: `Re: [#${source.number}] ${subject}`,
      text: 'A reply to the old number.',
      messageId: replyId,
      inReplyTo: messageId,
      references: [messageId],
    })
    const row = await until(async () =>
      t.app.db.read
        .selectFrom('mail_message_ids')
        .select('ticket_id')
        .where('message_id', '=', replyId)
        .executeTakeFirst(),
    )
    expect(row.ticket_id).toBe(await idOf(target))
    const thread = (await john.get(`/api/v1/tickets/${target}`)).body.thread
    expect(thread.map((e: { body: string }) => e.body.trim())).toContain('A reply to the old number.')
    // No follow-up ticket was opened for the closed source.
    const copies = await t.app.db.read
      .selectFrom('tickets')
      .select('id')
      .where('subject', '=', subject)
      .execute()
    expect(copies).toHaveLength(1)
  })

  it('lands 20 concurrent merges into one ticket, each once, with no entry lost', async () => {
    const target = await open(ken, uniq('Many into one'))
    const sources: string[] = []
    for (let i = 0; i < 20; i++) {
      const s = await open(ken, uniq(`Many dup ${i}`), `Duplicate ${i}.`)
      await write(ken, s, `More on ${i}.`)
      sources.push(s)
    }
    const results = await Promise.all(
      sources.map((s) => john.post(`/api/v1/tickets/${s}/merge`, { into: target, version: 1 })),
    )
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200)
    const thread = (await john.get(`/api/v1/tickets/${target}`)).body.thread
    expect(thread).toHaveLength(1 + 20 * 2)
    expect(new Set(thread.map((e: { id: number }) => e.id)).size).toBe(41)
    for (const s of sources)
      expect(thread.filter((e: { originTicket: string | null }) => e.originTicket === s)).toHaveLength(2)
    const merges = await t.app.db.read
      .selectFrom('ticket_merges')
      .select('source_id')
      .where('target_id', '=', await idOf(target))
      .execute()
    expect(merges).toHaveLength(20)
    const events = (await john.get(`/api/v1/tickets/${target}`)).body.events
    expect(events.filter((e: { type: string }) => e.type === 'ticket.merged_in')).toHaveLength(20)
  })
})
