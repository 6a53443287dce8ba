// Satisfaction surveys (issue 16) on every database, with a clock in hand and a real SMTP sink: asked once per
// resolution by email (no thread content, least of all internal notes), a link that works once and expires, a
// forged or tampered token refused alike, the answer changeable in the portal for 7 days, a rule on a bad rating,
// and the report's counts per group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../src/commands/auth.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { MailSink } from './support/mailSink.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const DAY = 24 * 3600_000
const QUESTION = 'How did we do on this one?'

describe.each(DATABASES)('satisfaction surveys on %s', (kind) => {
  let t: TestServer
  let sink: MailSink
  let anon: Client
  let ken: Client
  let lena: Client
  let john: Client
  let alex: Client
  let sam: Client
  let admin: Client
  const clock = new FixedClock(Date.parse('2026-03-02T09:00:00Z'))
  let supportId: number
  let billingId: number

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    anon = new Client(t.url)
    const as = (n: string) => anon.as(`${n}@example.com`)
    ;[ken, lena, john, alex, sam, admin] = await Promise.all([
      as('ken'),
      as('lena'),
      as('john'),
      as('alex'),
      as('sam'),
      as('admin'),
    ])
    const departments = (await admin.get('/api/v1/admin/satisfaction')).body.items as {
      departmentId: number
      department: string
      enabled: boolean
    }[]
    supportId = departments.find((d) => d.department === 'Support')!.departmentId
    billingId = departments.find((d) => d.department === 'Billing')!.departmentId
    expect(departments.every((d) => !d.enabled)).toBe(true)
    const on = await admin.request('PUT', `/api/v1/admin/satisfaction/${supportId}`, {
      enabled: true,
      question: QUESTION,
    })
    expect(on.status, JSON.stringify(on.body)).toBe(200)
  })
  afterAll(async () => {
    await t.close()
    await sink.close()
  })

  const surveyMails = (number: string) =>
    sink.messages.filter(
      (m) =>
        (m.parsed.subject ?? '').includes(`[#${number}]`) &&
        m.to.includes('ken@example.com') &&
        (m.parsed.subject ?? '').startsWith(QUESTION),
    )

  async function open(who: Client, subject: string, extra: object = {}) {
    const res = await who.post('/api/v1/tickets', { subject, message: 'My printer is on fire.', ...extra })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.ticket.number as string
  }
  async function setStatus(number: string, status: string, by = john) {
    const current = (await by.get(`/api/v1/tickets/${number}`)).body.ticket
    const res = await by.patch(`/api/v1/tickets/${number}`, { version: current.version, status })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }
  /** The token of the newest survey mail of the ticket, after the outbox delivered (there must be `count`). */
  async function tokenOf(number: string, count: number): Promise<string> {
    await t.settle()
    const mails = surveyMails(number)
    expect(mails).toHaveLength(count)
    const text = mails[mails.length - 1]!.parsed.text ?? ''
    const links = [...text.matchAll(/https?:\/\/\S+/g)].map((m) => new URL(m[0]))
    expect(links.map((l) => l.pathname)).toEqual(['/portal/satisfaction', '/portal/satisfaction'])
    expect(links.map((l) => new URLSearchParams(l.hash.slice(1)).get('rating'))).toEqual(['good', 'bad'])
    return new URLSearchParams(links[0]!.hash.slice(1)).get('token')!
  }
  const answer = (token: string, rating: string, comment?: string) =>
    anon.post('/api/v1/satisfaction/answer', { token, rating, ...(comment ? { comment } : {}) })

  it('asks the requester once per resolution, by a mail with no word of the thread', async () => {
    const number = await open(ken, 'Printer on fire')
    const note = await john.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Internal: zebracanary the customer broke it himself.',
      internal: true,
    })
    expect(note.status).toBe(201)
    await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Replaced the fuser; all good now.' })
    await setStatus(number, 'resolved')
    const token = await tokenOf(number, 1)
    const mail = surveyMails(number)[0]!
    expect(mail.parsed.text).toContain(QUESTION)
    expect(mail.parsed.text).toContain('Printer on fire')
    for (const part of [mail.raw, mail.parsed.text ?? '', String(mail.parsed.html)]) {
      expect(part).not.toContain('zebracanary')
      expect(part).not.toContain('fuser')
    }
    // Closing a resolved ticket is the same resolution: not asked again.
    await setStatus(number, 'closed')
    await tokenOf(number, 1)
    // Only the token's hash is stored; the survey remembers who held the ticket.
    const stored = await t.app.db.read.selectFrom('satisfaction_surveys').selectAll().execute()
    const mine = stored.filter((s) => s.token_hash === sha256(token))
    expect(mine).toHaveLength(1)
    expect(JSON.stringify(stored)).not.toContain(token)
    expect(mine[0]!.expires_at - mine[0]!.asked_at).toBe(7 * DAY)
    expect(mine[0]!.question).toBe(QUESTION)
  })

  it('takes the link once; the requester changes the answer in the portal for 7 days', async () => {
    const number = await open(ken, 'Cannot print in colour')
    await setStatus(number, 'resolved')
    const token = await tokenOf(number, 1)

    // Reading the survey does not use the link up.
    const peek = await anon.post('/api/v1/satisfaction/survey', { token })
    expect(peek.status).toBe(200)
    expect(peek.body).toMatchObject({ ticketNumber: number, question: QUESTION, rating: null })
    expect((await anon.post('/api/v1/satisfaction/survey', { token })).status).toBe(200)

    const first = await answer(token, 'bad', '  Took three days.  ')
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body).toEqual({
      ticketNumber: number,
      rating: 'bad',
      changeableUntil: new Date(clock.now() + 7 * DAY).toISOString(),
    })
    // Used: the same link again (even with the same answer), or reading it, is refused.
    for (const again of [
      await answer(token, 'good'),
      await anon.post('/api/v1/satisfaction/survey', { token }),
    ]) {
      expect(again.status).toBe(400)
      expect(again.body.error.code).toBe('invalid_survey_link')
    }

    // The agent sees it on the ticket (and in the history).
    const seen = await john.get(`/api/v1/tickets/${number}/satisfaction`)
    expect(seen.status).toBe(200)
    expect(seen.body.items).toHaveLength(1)
    expect(seen.body.items[0]).toMatchObject({
      rating: 'bad',
      comment: 'Took three days.',
      channel: 'email',
      open: true,
    })
    expect(seen.body.items[0].agent).toBeNull()

    // The requester changes it in the portal; a collaborator, another customer or an agent cannot.
    clock.advance(6 * DAY)
    const change = await ken.request('PUT', `/api/v1/tickets/${number}/satisfaction`, { rating: 'good' })
    expect(change.status, JSON.stringify(change.body)).toBe(200)
    expect(
      (await john.request('PUT', `/api/v1/tickets/${number}/satisfaction`, { rating: 'bad' })).status,
    ).toBe(403)
    expect(
      (await lena.request('PUT', `/api/v1/tickets/${number}/satisfaction`, { rating: 'bad' })).status,
    ).toBe(404)
    expect((await lena.get(`/api/v1/tickets/${number}/satisfaction`)).status).toBe(404)
    const portal = (await ken.get(`/api/v1/tickets/${number}/satisfaction`)).body
    expect(portal.canAnswer).toBe(true)
    expect(portal.items).toHaveLength(1)
    // A Bearer token is the API channel (the web app's cookie session would be `web`).
    expect(portal.items[0]).toMatchObject({ rating: 'good', comment: null, channel: 'api', agent: null })

    // One answer per resolution: still one survey, with the latest answer; each answer an event with its channel.
    const events = await t.app.db.read
      .selectFrom('events as e')
      .innerJoin('tickets', 'tickets.id', 'e.ticket_id')
      .select(['e.type', 'e.channel', 'e.before', 'e.after'])
      .where('tickets.number', '=', number)
      .where('e.type', 'in', ['satisfaction.asked', 'satisfaction.rated'])
      .orderBy('e.id')
      .execute()
    expect(events.map((e) => [e.type, e.channel])).toEqual([
      ['satisfaction.asked', 'api'],
      ['satisfaction.rated', 'email'],
      ['satisfaction.rated', 'api'],
    ])
    expect(JSON.parse(events[2]!.before!)).toEqual({ rating: 'bad', comment: 'Took three days.' })

    // After 7 days the answer stands.
    clock.advance(DAY)
    const late = await ken.request('PUT', `/api/v1/tickets/${number}/satisfaction`, { rating: 'bad' })
    expect(late.status).toBe(400)
    expect(late.body.error.code).toBe('survey_closed')
  })

  it('refuses an expired, a forged and a tampered link alike', async () => {
    const number = await open(ken, 'Scanner jams')
    await setStatus(number, 'resolved')
    const token = await tokenOf(number, 1)
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    const refusals = [
      await answer(tampered, 'bad'),
      await answer('forged-token-of-my-own-making', 'bad'),
      await anon.post('/api/v1/satisfaction/survey', { token: tampered }),
    ]
    clock.advance(7 * DAY)
    refusals.push(await answer(token, 'bad'), await anon.post('/api/v1/satisfaction/survey', { token }))
    for (const r of refusals) expect([r.status, r.body]).toEqual([refusals[0]!.status, refusals[0]!.body])
    expect(refusals[0]!.status).toBe(400)
    expect(refusals[0]!.body.error.code).toBe('invalid_survey_link')
    // Bad input is a 400 too, never a crash.
    expect((await anon.post('/api/v1/satisfaction/answer', { token, rating: 'meh' })).status).toBe(400)
    expect((await anon.post('/api/v1/satisfaction/answer', { token: 'x\u0000', rating: 'bad' })).status).toBe(
      400,
    )
    const rated = await t.app.db.read
      .selectFrom('satisfaction_surveys')
      .select('rating')
      .where('token_hash', '=', sha256(token))
      .executeTakeFirstOrThrow()
    expect(rated.rating).toBeNull()
  })

  it('asks again after a reopen and a new resolution, and the earlier link stops working', async () => {
    const number = await open(ken, 'Toner smudges')
    await setStatus(number, 'resolved')
    const firstToken = await tokenOf(number, 1)
    // The customer writes again: the ticket reopens; resolved again, a new survey replaces the unanswered one.
    expect((await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Still smudging.' })).status).toBe(
      201,
    )
    expect((await john.get(`/api/v1/tickets/${number}`)).body.ticket.statusCategory).toBe('open')
    await setStatus(number, 'resolved')
    const secondToken = await tokenOf(number, 2)
    expect(secondToken).not.toBe(firstToken)
    expect((await answer(firstToken, 'good')).body.error.code).toBe('invalid_survey_link')
    expect((await answer(secondToken, 'good')).status).toBe(200)
    // An answered survey stays when the ticket is resolved a third time; the new one is asked on its own.
    await setStatus(number, 'open')
    await setStatus(number, 'resolved')
    const thirdToken = await tokenOf(number, 3)
    expect((await answer(thirdToken, 'bad')).status).toBe(200)
    const surveys = (await john.get(`/api/v1/tickets/${number}/satisfaction`)).body.items
    expect(surveys.map((s: { rating: string | null; open: boolean }) => [s.rating, s.open])).toEqual([
      ['bad', true],
      ['good', true],
      [null, false],
    ])
  })

  it('does not ask in a department that has the survey off', async () => {
    const number = await open(ken, 'Invoice twice')
    const moved = await john.patch(`/api/v1/tickets/${number}`, {
      version: (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version,
      departmentId: billingId,
    })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    await setStatus(number, 'resolved', sam)
    await t.settle()
    expect(surveyMails(number)).toHaveLength(0)
    expect((await sam.get(`/api/v1/tickets/${number}/satisfaction`)).body.items).toEqual([])
  })

  it('runs the satisfaction rules: a bad rating notifies the team lead', async () => {
    const alexId = (await alex.get('/api/v1/auth/me')).body.user.id as number
    const rule = await admin.post('/api/v1/admin/rules', {
      name: 'Bad rating to the lead',
      event: 'satisfaction.rated',
      conditions: [{ field: 'satisfaction', op: 'equals', value: 'bad' }],
      actions: [{ type: 'notify_agent', value: alexId }],
    })
    expect(rule.status, JSON.stringify(rule.body)).toBe(201)
    const refused = await admin.post('/api/v1/admin/rules', {
      name: 'Reject ratings',
      event: 'satisfaction.rated',
      conditions: [],
      actions: [{ type: 'reject' }],
    })
    expect(refused.status).toBe(400)

    const leadNotes = async () =>
      ((await alex.get('/api/v1/notifications')).body.items as { text: string }[]).filter((n) =>
        n.text.startsWith('Rule “Bad rating to the lead”'),
      )
    const happy = await open(ken, 'Paper tray fixed')
    await setStatus(happy, 'resolved')
    expect((await answer(await tokenOf(happy, 1), 'good')).status).toBe(200)
    expect(await leadNotes()).toHaveLength(0)

    await t.settle()
    // A customer-facing webhook for answers (never delivered here: the deliverer runs only when asked).
    await admin.request('PUT', '/api/v1/admin/webhooks/settings', { allowPrivateTargets: true })
    const hook = await admin.post('/api/v1/admin/webhooks', {
      url: 'http://127.0.0.1:9/csat',
      events: ['csat.answered'],
    })
    expect(hook.status, JSON.stringify(hook.body)).toBe(201)

    const unhappy = await open(ken, 'Paper tray broke again')
    await setStatus(unhappy, 'resolved')
    expect((await answer(await tokenOf(unhappy, 1), 'bad', 'Nobody called back')).status).toBe(200)
    const notes = await leadNotes()
    expect(notes).toHaveLength(1)
    expect(notes[0]!.text).toContain(`#${unhappy}`)
    const fired = await t.app.db.read
      .selectFrom('events as e')
      .innerJoin('tickets', 'tickets.id', 'e.ticket_id')
      .select(['e.after'])
      .where('tickets.number', '=', unhappy)
      .where('e.type', '=', 'rule.fired')
      .execute()
    expect(fired.map((e) => JSON.parse(e.after!).actions)).toEqual([[`notify=${alexId}`]])
    await t.settle()
    const delivered = await t.app.db.read
      .selectFrom('webhook_deliveries')
      .select(['event', 'payload'])
      .where('webhook_id', '=', hook.body.webhook.id)
      .execute()
    expect(delivered.map((d) => d.event)).toEqual(['csat.answered'])
    const payload = JSON.parse(delivered[0]!.payload)
    expect(payload.ticket.number).toBe(unhappy)
    expect(payload.change.after).toEqual({ rating: 'bad', comment: 'Nobody called back' })
    expect(payload.actor).toMatchObject({ name: 'Ken Adams', kind: 'customer' })
    await admin.request('DELETE', `/api/v1/admin/rules/${rule.body.id}`)
  })

  it('reports good and bad per agent, department and organisation within the reader’s scope', async () => {
    // A fresh period: tickets resolved on 2026-03-23, assigned to John or Alex, Ken of Acme and Lena of none.
    clock.set('2026-03-23T10:00:00Z')
    const db = t.app.db.writer
    const org = await db
      .insertInto('organizations')
      .values({ name: 'Acme', created_at: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('users')
      .set({ organization_id: org.id })
      .where('email', '=', 'ken@example.com')
      .execute()
    const ids = Object.fromEntries(
      await Promise.all(
        (['john', 'alex'] as const).map(async (n) => [
          n,
          (await (n === 'john' ? john : alex).get('/api/v1/auth/me')).body.user.id,
        ]),
      ),
    ) as Record<'john' | 'alex', number>
    const plan: [Client, 'john' | 'alex', 'good' | 'bad' | null][] = [
      [ken, 'john', 'good'],
      [ken, 'john', 'bad'],
      [ken, 'alex', 'good'],
      [lena, 'alex', 'good'],
      [lena, 'john', null],
    ]
    for (const [who, agent, rating] of plan) {
      const number = await open(who, `Report case ${agent} ${rating}`)
      const v = (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version
      expect(
        (await john.patch(`/api/v1/tickets/${number}`, { version: v, assigneeAgentId: ids[agent] })).status,
      ).toBe(200)
      await setStatus(number, 'resolved')
      if (rating)
        expect((await who.request('PUT', `/api/v1/tickets/${number}/satisfaction`, { rating })).status).toBe(
          200,
        )
    }
    const report = async (who: Client, groupBy: string) => {
      const res = await who.get(
        `/api/v1/reports/satisfaction?from=2026-03-23&to=2026-03-23&groupBy=${groupBy}`,
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body
    }
    const byAgent = await report(john, 'agent')
    expect(byAgent.from).toBe('2026-03-23T00:00:00.000Z')
    expect(byAgent.to).toBe('2026-03-24T00:00:00.000Z')
    expect(byAgent.rows).toEqual([
      { key: { id: ids.john, name: 'John Doe' }, asked: 3, good: 1, bad: 1, answered: 2, score: 50 },
      { key: { id: ids.alex, name: 'Alex Kim' }, asked: 2, good: 2, bad: 0, answered: 2, score: 100 },
    ])
    expect(byAgent.totals).toEqual({ asked: 5, good: 3, bad: 1, answered: 4, score: 75 })
    expect((await report(john, 'department')).rows).toEqual([
      { key: { id: supportId, name: 'Support' }, asked: 5, good: 3, bad: 1, answered: 4, score: 75 },
    ])
    expect((await report(john, 'organisation')).rows).toEqual([
      { key: { id: org.id, name: 'Acme' }, asked: 3, good: 2, bad: 1, answered: 3, score: 66.7 },
      { key: null, asked: 2, good: 1, bad: 0, answered: 1, score: 100 },
    ])
    // Sam (Billing) sees none of Support's tickets, so none of their answers.
    expect((await report(sam, 'agent')).totals).toEqual({
      asked: 0,
      good: 0,
      bad: 0,
      answered: 0,
      score: null,
    })
    expect((await ken.get('/api/v1/reports/satisfaction')).status).toBe(403)
    const bad = await john.get('/api/v1/reports/satisfaction?from=2026-04-07&to=2026-04-01')
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_range'])
    expect((await john.get('/api/v1/reports/satisfaction?groupBy=planet')).status).toBe(400)
  })
})
