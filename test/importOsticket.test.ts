// `switchboard import osticket` against the real osTicket 1.18.1 fixture (../shared/fixtures/osticket, made by
// running osTicket itself), loaded into a scratch MariaDB database, imported into SQLite and PostgreSQL, and
// checked against FIXTURE.md beside it.
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOsticket, type ImportReport } from '../src/import/osticket.ts'
import { receiveEmail } from '../src/mail/receiveEmail.ts'
import { Client } from './support/client.ts'
import { dropFixture, fixturePath, loadFixture, MARIADB } from './support/osticketFixture.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const FIXTURE_MD = readFileSync(join(dirname(fixturePath()), 'FIXTURE.md'), 'utf8')

/** FIXTURE.md's row counts table: table → rows. */
const rowCounts = new Map(
  [...FIXTURE_MD.matchAll(/^\| (ost_\w+) \| (\d+) \|$/gm)].map((m) => [m[1]!, Number(m[2])]),
)

const AGENTS = [
  {
    email: 'maria.lopez@acme-fixture.test',
    password: 'Agent#Maria2024',
    primary: 'Technical Support',
    role: 'all_access',
    admin: true,
    extra: { Billing: 'expanded_access' },
  },
  {
    email: 'tom.becker@acme-fixture.test',
    password: 'Agent#Tom2024',
    primary: 'Billing',
    role: 'expanded_access',
    admin: false,
    extra: { Support: 'limited_access' },
  },
  {
    email: 'priya.nair@acme-fixture.test',
    password: 'Agent#Priya2024',
    primary: 'Tier 2 Escalations',
    role: 'limited_access',
    admin: false,
    extra: { 'Technical Support': 'view_only' },
  },
  {
    email: 'jonas.weber@acme-fixture.test',
    password: 'Agent#Jonas2024',
    primary: 'Field Services',
    role: 'view_only',
    admin: false,
    extra: {},
  },
  {
    email: 'chen.wei@acme-fixture.test',
    password: 'Agent#Chen2024',
    primary: 'Support',
    role: 'all_access',
    admin: false,
    extra: { 'Tier 2 Escalations': 'all_access', 'Field Services': 'expanded_access' },
  },
  {
    email: 'olga.ivanova@acme-fixture.test',
    password: 'Agent#Olga2024',
    primary: 'Sales',
    role: 'expanded_access',
    admin: false,
    extra: { Billing: 'limited_access', 'Field Services': 'view_only' },
  },
]

const PORTAL = [...FIXTURE_MD.matchAll(/^\| (\S+@\S+) \| `(User#\w+)` \| (.+?) \| (.+?) \|$/gm)].map((m) => ({
  email: m[1]!,
  password: m[2]!,
  name: m[3]!,
  organisation: m[4]! === '-' ? null : m[4]!,
}))

const SECOND_ADDRESSES = [
  ['bob.brown@initech.test', 'bob@home.example.com'],
  ['gwen.garcia@initech.test', 'gwen@home.example.com'],
  ['lars.larsen@initech.test', 'lars@home.example.com'],
  ['quinn.quigley@initech.test', 'quinn@home.example.com'],
  ['valentina.vargas@initech.test', 'valentina@home.example.com'],
]

describe.each(DATABASES)('osTicket import on %s', (kind) => {
  const dbName = `ost_test_${randomBytes(4).toString('hex')}`
  const from = `mysql://root@127.0.0.1:3306/${dbName}`
  let t: TestServer
  let source: mysql.Connection
  let first: ImportReport
  let second: ImportReport
  let tablesAfterFirst: Record<string, number>

  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await source.query(text, params))[0] as T[]
  const count = async (table: string) =>
    Number(
      (
        await t.app.db.read
          .selectFrom(table as 'tickets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const TABLES = [
    'tickets',
    'thread_entries',
    'events',
    'users',
    'user_addresses',
    'entry_attachments',
    'mail_message_ids',
    'ticket_collaborators',
    'ticket_followers',
    'departments',
    'teams',
    'team_members',
    'agent_departments',
    'organizations',
    'help_topics',
    'custom_fields',
    'sla_plans',
    'business_schedules',
    'canned_responses',
    'rules',
    'ticket_statuses',
  ]
  const counts = async () =>
    Object.fromEntries(await Promise.all(TABLES.map(async (x) => [x, await count(x)])))

  beforeAll(async () => {
    loadFixture(dbName)
    source = await mysql.createConnection({ ...MARIADB, database: dbName, dateStrings: true })
    t = await startServer(kind, { demo: false })
    first = await importOsticket(t.app.db, { from, batchSize: 50 })
    tablesAfterFirst = await counts()
  }, 180_000)
  afterAll(async () => {
    await source?.end()
    await t?.close()
    dropFixture(dbName)
  })

  const ticketRow = (number: string) =>
    t.app.db.read.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow()

  it('brings over every row FIXTURE.md counts', async () => {
    expect(first.problems.filter((p) => p.kind !== 'filter')).toEqual([])
    const c = first.counts
    expect(c.ticket!.new).toBe(rowCounts.get('ost_ticket'))
    expect(await count('tickets')).toBe(rowCounts.get('ost_ticket'))
    // The two entries of the two tasks' threads (object type A) go into the tasks' notes.
    expect(c.entry!.new).toBe(rowCounts.get('ost_thread_entry')! - 2)
    expect(c.user!.new).toBe(rowCounts.get('ost_user'))
    expect(c.agent!.new).toBe(rowCounts.get('ost_staff'))
    expect(c.department!.new).toBe(rowCounts.get('ost_department'))
    expect(c.team!.new).toBe(rowCounts.get('ost_team'))
    expect(c.organization!.new).toBe(rowCounts.get('ost_organization'))
    expect(c.help_topic!.new).toBe(rowCounts.get('ost_help_topic'))
    expect(c.sla_plan!.new).toBe(rowCounts.get('ost_sla'))
    expect(c.schedule!.new).toBe(rowCounts.get('ost_schedule'))
    expect(c.canned_response!.new).toBe(rowCounts.get('ost_canned_response'))
    expect(c.collaborator!.new).toBe(rowCounts.get('ost_thread_collaborator'))
    expect(c.task!.new).toBe(rowCounts.get('ost_task'))
    // One attachment belongs to a canned response (not imported, and said so); the rest are on tickets.
    expect(c.attachment!.new).toBe(rowCounts.get('ost_attachment')! - 1)
    expect(first.notes.join('\n')).toMatch(/canned responses \(1\) are not imported/)
    // Events of the tasks' threads stay with the tasks.
    expect(c.event!.new).toBe(rowCounts.get('ost_thread_event')! - 2)
    expect(await count('user_addresses')).toBe(rowCounts.get('ost_user_email')! - rowCounts.get('ost_user')!)
    const kinds = await t.app.db.read
      .selectFrom('thread_entries as e')
      .innerJoin('import_map as m', (j) => j.onRef('m.target_id', '=', 'e.id').on('m.kind', '=', 'entry'))
      .select(['e.kind', (eb) => eb.fn.countAll().as('n')])
      .groupBy('e.kind')
      .execute()
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      message: 358,
      response: 69,
      note: 114,
    })
    // Statuses, sources, priorities and departments as FIXTURE.md tallies them.
    const by = async (column: 'status' | 'source' | 'priority') =>
      Object.fromEntries(
        (
          await t.app.db.read
            .selectFrom('tickets')
            .select([column, (eb) => eb.fn.countAll().as('n')])
            .groupBy(column)
            .execute()
        ).map((r) => [r[column], Number(r.n)]),
      )
    expect(await by('status')).toEqual({ open: 304, resolved: 17, closed: 10 })
    expect(await by('source')).toEqual({ email: 30, api: 301 })
    expect(await by('priority')).toEqual({ emergency: 21, high: 80, low: 41, normal: 189 })
    const depts = await t.app.db.read
      .selectFrom('tickets as t')
      .innerJoin('departments as d', 'd.id', 't.department_id')
      .select(['d.name', (eb) => eb.fn.countAll().as('n')])
      .groupBy('d.name')
      .execute()
    expect(Object.fromEntries(depts.map((d) => [d.name, Number(d.n)]))).toEqual({
      Billing: 9,
      'Field Services': 37,
      Maintenance: 6,
      Support: 205,
      'Technical Support': 23,
      'Tier 2 Escalations': 51,
    })
    const assigned = await t.app.db.read
      .selectFrom('tickets')
      .select((eb) => [
        eb.fn.count('assignee_agent_id').as('agent'),
        eb.fn.count('assignee_team_id').as('team'),
      ])
      .executeTakeFirstOrThrow()
    // FIXTURE.md: "open tickets assigned to an agent: 79, to a team: 29" (counted over every ticket).
    expect([Number(assigned.agent), Number(assigned.team)]).toEqual([79, 29])
    const filter = await t.app.db.read
      .selectFrom('rules')
      .selectAll()
      .where('name', '=', 'Globex VIP routing')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(filter.conditions)).toEqual([
      { field: 'requester_email', op: 'ends_with', value: '@globex.test' },
    ])
    const tier2 = await t.app.db.read
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Tier 2 Escalations')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(filter.actions)).toEqual([
      { type: 'set_priority', value: 'high' },
      { type: 'set_department', value: tier2.id },
    ])
    // The ban list holds for mail only: its one condition and the channel must both hold.
    const ban = await t.app.db.read
      .selectFrom('rules')
      .selectAll()
      .where('name', '=', 'SYSTEM BAN LIST')
      .executeTakeFirstOrThrow()
    expect(ban.match).toBe('all')
    expect(JSON.parse(ban.conditions)).toEqual([
      { field: 'requester_email', op: 'equals', value: 'test@example.com' },
      { field: 'channel', op: 'equals', value: 'email' },
    ])
    expect(JSON.parse(ban.actions)).toEqual([{ type: 'reject', value: null }])
  })

  it('gives each agent their departments and roles, and signs agents in with their osTicket passwords', async () => {
    const anon = new Client(t.url)
    for (const a of AGENTS) {
      const user = await t.app.db.read
        .selectFrom('users')
        .selectAll()
        .where('email', '=', a.email)
        .executeTakeFirstOrThrow()
      expect(user.type).toBe('agent')
      expect(user.is_admin).toBe(a.admin ? 1 : 0)
      const memberships = await t.app.db.read
        .selectFrom('agent_departments as ad')
        .innerJoin('departments as d', 'd.id', 'ad.department_id')
        .innerJoin('roles as r', 'r.id', 'ad.role_id')
        .select(['d.name', 'r.key', 'd.id'])
        .where('ad.agent_id', '=', user.id)
        .execute()
      const primary = memberships.find((m) => m.id === user.primary_department_id)
      expect(primary?.name).toBe(a.primary)
      expect(primary?.key).toBe(a.role)
      expect(
        Object.fromEntries(memberships.filter((m) => m !== primary).map((m) => [m.name, m.key])),
      ).toEqual(a.extra)
      expect(user.password_hash).toMatch(/^\$2[aby]\$/)
      expect(
        (await anon.post('/api/v1/auth/login', { email: a.email, password: 'wrong password' })).status,
      ).toBe(401)
      await anon.as(a.email, a.password)
      const after = await t.app.db.read
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow()
      expect(after.password_hash).toMatch(/^\$argon2id\$/)
      // And again, now against the argon2id hash.
      await anon.as(a.email, a.password)
    }
    const [ostadmin] = await q<{ email: string }>("select email from ost_staff where username = 'ostadmin'")
    await anon.as(ostadmin!.email, 'Admin#Pass2024')
    const teams = await t.app.db.read
      .selectFrom('team_members as m')
      .innerJoin('teams as t', 't.id', 'm.team_id')
      .innerJoin('users as u', 'u.id', 'm.agent_id')
      .select(['t.name', 'u.email'])
      .execute()
    const members = (team: string) =>
      teams
        .filter((x) => x.name === team)
        .map((x) => x.email.split('.')[0])
        .sort()
    expect(members('Level 1 Squad')).toEqual(['chen', 'maria', 'tom'])
    expect(members('Escalation Crew')).toEqual(['chen', 'priya'])
    const tier2 = await t.app.db.read
      .selectFrom('departments as d')
      .innerJoin('departments as p', 'p.id', 'd.parent_id')
      .innerJoin('users as m', 'm.id', 'd.manager_id')
      .select(['p.name as parent', 'm.email'])
      .where('d.name', '=', 'Tier 2 Escalations')
      .executeTakeFirstOrThrow()
    expect(tier2).toEqual({ parent: 'Technical Support', email: 'priya.nair@acme-fixture.test' })
  })

  it('keeps every user’s addresses and signs portal users in with their passwords', async () => {
    const anon = new Client(t.url)
    for (const [primary, other] of SECOND_ADDRESSES) {
      const user = await t.app.db.read
        .selectFrom('users')
        .select('id')
        .where('email', '=', primary!)
        .executeTakeFirstOrThrow()
      const more = await t.app.db.read
        .selectFrom('user_addresses')
        .select('address')
        .where('user_id', '=', user.id)
        .execute()
      expect(more.map((m) => m.address)).toEqual([other])
    }
    // Every osTicket address of every user is known here, to the right person.
    const all = await q<{ name: string; address: string }>(
      'select u.name, e.address from ost_user u join ost_user_email e on e.user_id = u.id',
    )
    for (const a of all) {
      const row =
        (await t.app.db.read
          .selectFrom('users')
          .select('name')
          .where('email', '=', a.address.toLowerCase())
          .executeTakeFirst()) ??
        (await t.app.db.read
          .selectFrom('user_addresses as x')
          .innerJoin('users as u', 'u.id', 'x.user_id')
          .select('u.name')
          .where('x.address', '=', a.address.toLowerCase())
          .executeTakeFirst())
      expect(row?.name).toBe(a.name)
    }
    expect(PORTAL).toHaveLength(rowCounts.get('ost_user_account')!)
    for (const p of PORTAL) {
      const user = await t.app.db.read
        .selectFrom('users as u')
        .leftJoin('organizations as o', 'o.id', 'u.organization_id')
        .select(['u.name', 'o.name as org', 'u.type'])
        .where('u.email', '=', p.email)
        .executeTakeFirstOrThrow()
      expect(user).toEqual({ name: p.name, org: p.organisation, type: 'customer' })
      await anon.as(p.email, p.password)
    }
    // A second address signs in too.
    await anon.as('gwen@home.example.com', 'User#Gwen2024')
    const inOrganisations = await t.app.db.read
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('organization_id', 'is not', null)
      .executeTakeFirstOrThrow()
    expect(Number(inOrganisations.n)).toBe(15)
  })

  it('keeps the tickets FIXTURE.md names, each with what makes it worth looking at', async () => {
    const notesOf = async (number: string) =>
      (
        await t.app.db.read
          .selectFrom('thread_entries as e')
          .innerJoin('tickets as t', 't.id', 'e.ticket_id')
          .select('e.body')
          .where('t.number', '=', number)
          .where('e.kind', '=', 'note')
          .execute()
      ).map((e) => e.body)
    expect(await notesOf('913170')).toContain('Imported from osTicket: this ticket was merged into #170581.')
    expect((await ticketRow('913170')).status).toBe('closed')
    expect(await notesOf('453928')).toContain('Imported from osTicket: this ticket is linked to #520655.')
    expect((await notesOf('271703')).join('\n')).toMatch(/task 1 “Order replacement part for #271703”/)
    expect((await notesOf('554437')).join('\n')).toMatch(/task 2 “Order replacement part for #554437”/)
    expect((await ticketRow('101487')).created_at).toBeGreaterThan(0)

    // Referrals → followers, collaborators → collaborators, reopened → events.
    const referred = await q<{ number: string; n: number }>(
      `select t.number, count(*) as n from ost_thread_referral r join ost_thread th on th.id = r.thread_id
         join ost_ticket t on t.ticket_id = th.object_id where r.object_type = 'S' group by t.number order by t.number limit 1`,
    )
    const followers = await t.app.db.read
      .selectFrom('ticket_followers as f')
      .innerJoin('tickets as t', 't.id', 'f.ticket_id')
      .select('f.agent_id')
      .where('t.number', '=', referred[0]!.number)
      .execute()
    expect(followers.length).toBeGreaterThanOrEqual(Number(referred[0]!.n))
    const withReferrals = await t.app.db.read
      .selectFrom('ticket_followers')
      .select('ticket_id')
      .distinct()
      .execute()
    expect(withReferrals.length).toBeGreaterThan(30)
    const collab = await q<{ number: string; address: string }>(
      `select t.number, e.address from ost_thread_collaborator c join ost_thread th on th.id = c.thread_id
         join ost_ticket t on t.ticket_id = th.object_id join ost_user u on u.id = c.user_id
         join ost_user_email e on e.id = u.default_email_id order by c.id limit 1`,
    )
    const collaborators = await t.app.db.read
      .selectFrom('ticket_collaborators as c')
      .innerJoin('tickets as t', 't.id', 'c.ticket_id')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select('u.email')
      .where('t.number', '=', collab[0]!.number)
      .execute()
    expect(collaborators.map((c) => c.email)).toContain(collab[0]!.address.toLowerCase())
    expect(
      Number(
        (
          await t.app.db.read
            .selectFrom('ticket_collaborators')
            .select((eb) => eb.fn.count('ticket_id').distinct().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(15)
    const reopened = await t.app.db.read
      .selectFrom('events')
      .select('ticket_id')
      .distinct()
      .where('type', '=', 'osticket.reopened')
      .execute()
    expect(reopened).toHaveLength(14)

    // Custom form answers: the Device Details fields on a sixth of the API tickets.
    const answered = await q<{ number: string; value: string }>(
      `select t.number, v.value from ost_form_entry_values v join ost_form_field f on f.id = v.field_id
         join ost_form_entry e on e.id = v.entry_id join ost_ticket t on t.ticket_id = e.object_id
        where f.name = 'serial_number' and e.object_type = 'T' and v.value <> '' limit 1`,
    )
    const withFields = await ticketRow(answered[0]!.number)
    const fields = JSON.parse(withFields.custom_fields) as Record<string, string>
    expect(fields.serial_number).toBe(answered[0]!.value)
    expect(['Laptop', 'Desktop', 'Mobile phone', 'Printer']).toContain(fields.device_type)
    expect(fields.purchase_date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(await count('tickets')).toBe(331)

    // From email, with its Message-ID.
    const mailed = await q<{ number: string; mid: string }>(
      `select t.number, m.mid from ost_thread_entry_email m join ost_thread_entry e on e.id = m.thread_entry_id
         join ost_thread th on th.id = e.thread_id join ost_ticket t on t.ticket_id = th.object_id
        where t.source = 'Email' and e.type = 'M' order by m.id limit 1`,
    )
    const known = await t.app.db.read
      .selectFrom('mail_message_ids as m')
      .innerJoin('tickets as t', 't.id', 'm.ticket_id')
      .select('t.number')
      .where('m.message_id', '=', mailed[0]!.mid)
      .executeTakeFirstOrThrow()
    expect(known.number).toBe(mailed[0]!.number)
    expect((await ticketRow(mailed[0]!.number)).source).toBe('email')
  })

  it('never shows a note to the requester', async () => {
    const rows = await q<{ number: string; email: string; body: string }>(
      `select t.number, ue.address as email, e.body from ost_thread_entry e join ost_thread th on th.id = e.thread_id
         join ost_ticket t on t.ticket_id = th.object_id join ost_user u on u.id = t.user_id
         join ost_user_email ue on ue.id = u.default_email_id join ost_user_account a on a.user_id = u.id
        where e.type = 'N' and th.object_type = 'T' order by e.id limit 1`,
    )
    const { number, email } = rows[0]!
    const portal = PORTAL.find((p) => p.email === email)!
    const customer = await new Client(t.url).as(portal.email, portal.password)
    const res = await customer.get(`/api/v1/tickets/${number}`)
    expect(res.status).toBe(200)
    const thread = res.body.thread as { kind: string; body: string }[]
    expect(thread.length).toBeGreaterThan(0)
    expect(thread.map((e) => e.kind)).not.toContain('note')
    const notes = await t.app.db.read
      .selectFrom('thread_entries as e')
      .innerJoin('tickets as t', 't.id', 'e.ticket_id')
      .select(['e.id', 'e.body'])
      .where('t.number', '=', number)
      .where('e.kind', '=', 'note')
      .execute()
    expect(notes.length).toBeGreaterThan(0)
    const shown = new Set((res.body.thread as { id: number }[]).map((e) => e.id))
    for (const n of notes) expect(shown.has(n.id)).toBe(false)
    const mail = await customer.get(`/api/v1/tickets/${number}/mail`)
    expect(mail.status).toBe(200)
    for (const e of mail.body.entries as { entryId: number }[])
      expect(notes.map((n) => n.id)).not.toContain(e.entryId)
    // Search does not find them for the customer either.
    const word = notes[0]!.body.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w))
    if (word) {
      const found = await customer.get(`/api/v1/tickets?q=${encodeURIComponent(word)}`)
      for (const item of found.body.items as { number: string }[])
        expect(JSON.stringify(item)).not.toContain(notes[0]!.body.slice(0, 40))
    }
  })

  it('copies attachments byte for byte', async () => {
    const files = await q<{ id: number; data: Buffer }>(
      `select a.id, (select group_concat(c.filedata order by c.chunk_id separator '') from ost_file_chunk c where c.file_id = a.file_id) as data
         from ost_attachment a where a.type in ('H', 'T')`,
    )
    expect(files).toHaveLength(125)
    const ours = await t.app.db.read
      .selectFrom('import_map as m')
      .innerJoin('entry_attachments as a', 'a.id', 'm.target_id')
      .select(['m.source_id', 'a.sha256', 'a.size'])
      .where('m.kind', '=', 'attachment')
      .execute()
    const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex')
    const byId = new Map(ours.map((o) => [Number(o.source_id), o]))
    for (const f of files) {
      const mine = byId.get(Number(f.id))
      expect(mine, `attachment ${f.id}`).toBeDefined()
      // Stored by its SHA-256: the blob of that name is the content.
      expect(mine!.sha256).toBe(sha(Buffer.from(f.data)))
      expect(sha(await t.app.attachments.read(t.app.db.read, mine!.sha256!))).toBe(sha(Buffer.from(f.data)))
      expect(mine!.size).toBe(Buffer.from(f.data).length)
    }
    // And the requester downloads it as it was, through the API.
    const [owned] = await q<{ id: number; number: string; email: string }>(
      `select a.id, t.number, ue.address as email from ost_attachment a join ost_thread_entry e on e.id = a.object_id
         join ost_thread th on th.id = e.thread_id join ost_ticket t on t.ticket_id = th.object_id
         join ost_user u on u.id = t.user_id join ost_user_email ue on ue.id = u.default_email_id
         join ost_user_account acc on acc.user_id = u.id
        where a.type = 'H' and e.type = 'M' and th.object_type = 'T' order by a.id limit 1`,
    )
    const portal = PORTAL.find((p) => p.email === owned!.email)!
    const customer = await new Client(t.url).as(portal.email, portal.password)
    const ourId = byId.get(Number(owned!.id)) as unknown as { source_id: string }
    const row = await t.app.db.read
      .selectFrom('import_map')
      .select('target_id')
      .where('kind', '=', 'attachment')
      .where('source_id', '=', ourId.source_id)
      .executeTakeFirstOrThrow()
    const res = await fetch(`${t.url}/api/v1/tickets/${owned!.number}/attachments/${row.target_id}`, {
      headers: { authorization: `Bearer ${customer.token}` },
    })
    expect(res.status).toBe(200)
    const downloaded = Buffer.from(await res.arrayBuffer())
    const source = files.find((f) => Number(f.id) === Number(owned!.id))!
    expect(sha(downloaded)).toBe(sha(Buffer.from(source.data)))
  })

  it('threads a reply by mail to an imported Message-ID into its ticket', async () => {
    const [row] = await q<{ number: string; mid: string; email: string }>(
      `select t.number, m.mid, ue.address as email from ost_thread_entry_email m join ost_thread_entry e on e.id = m.thread_entry_id
         join ost_thread th on th.id = e.thread_id join ost_ticket t on t.ticket_id = th.object_id
         join ost_user u on u.id = t.user_id join ost_user_email ue on ue.id = u.default_email_id
        where t.source = 'Email' and e.type = 'M' and th.object_type = 'T' order by m.id desc limit 1`,
    )
    const before = await ticketRow(row!.number)
    const raw = Buffer.from(
      [
        `From: ${row!.email}`,
        'To: support@acme-fixture.test',
        'Subject: Re: still broken',
        `Message-ID: <reply-${randomBytes(4).toString('hex')}@example.net>`,
        `In-Reply-To: ${row!.mid}`,
        `References: ${row!.mid}`,
        'Date: Thu, 03 Dec 2026 18:00:00 +0000',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Replying years later to the old mail.',
        '',
      ].join('\r\n'),
    )
    const outcome = await receiveEmail(t.app, raw, {
      source: 'pipe',
      envelopeTo: ['support@acme-fixture.test'],
    })
    expect(outcome.status).toBe('done')
    const entries = await t.app.db.read
      .selectFrom('thread_entries')
      .select(['ticket_id', 'kind'])
      .where('body', 'like', 'Replying years later%')
      .execute()
    expect(entries).toEqual([{ ticket_id: before.id, kind: 'message' }])
    const counted = await count('tickets')
    expect(counted).toBe(331)
  })

  it('adds nothing on a second run, and numbers new tickets past the imported ones', async () => {
    second = await importOsticket(t.app.db, { from })
    for (const [kind, c] of Object.entries(second.counts)) {
      expect([kind, c.new, c.changed, c.failed]).toEqual([kind, 0, 0, 0])
    }
    // What happened here since (the mail reply above) is kept; nothing was added twice.
    const now = await counts()
    expect(now).toEqual({
      ...tablesAfterFirst,
      thread_entries: tablesAfterFirst.thread_entries! + 1,
      mail_message_ids: tablesAfterFirst.mail_message_ids! + 1,
      events: now.events,
      entry_attachments: tablesAfterFirst.entry_attachments,
    })
    const dry = await importOsticket(t.app.db, { from, dryRun: true })
    expect(Object.values(dry.counts).every((c) => c.new === 0)).toBe(true)
    const customer = await new Client(t.url).as(PORTAL[0]!.email, PORTAL[0]!.password)
    const res = await customer.post('/api/v1/tickets', {
      subject: 'After the move',
      message: 'Hello from the new desk.',
    })
    expect(res.status).toBe(201)
    const max = Math.max(
      ...(await q<{ number: string }>('select number from ost_ticket')).map((r) => Number(r.number)),
    )
    expect(Number(res.body.ticket.number)).toBeGreaterThan(max)
  })
})

describe('switchboard import osticket on the command line, and a run that is interrupted', () => {
  const dbName = `ost_cli_${randomBytes(4).toString('hex')}`
  const from = `mysql://root@127.0.0.1:3306/${dbName}`
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-import-'))
  const env = (file: string) => ({ ...process.env, DATABASE_URL: `sqlite:${join(dir, file)}` })
  const cli = (args: string[], file = 'cli.db') =>
    spawnSync(process.execPath, ['bin/switchboard.js', 'import', ...args], {
      cwd: REPO,
      env: env(file),
      encoding: 'utf8',
    })
  beforeAll(() => loadFixture(dbName), 120_000)
  afterAll(() => {
    dropFixture(dbName)
    rmSync(dir, { recursive: true, force: true })
  })

  it('exits 2 on bad arguments and 3 when the source cannot be read', () => {
    expect(cli(['osticket']).status).toBe(2)
    expect(cli(['zendesk', '--from', from]).status).toBe(2)
    expect(cli(['osticket', '--from', 'http://example.com/x']).status).toBe(2)
    expect(cli(['osticket', '--from', from, '--prefix', 'ost_; drop']).status).toBe(2)
    const refused = cli(['osticket', '--from', 'mysql://root@127.0.0.1:1/osticket'])
    expect(refused.status).toBe(3)
    expect(refused.stderr).toMatch(/cannot connect/)
    expect(cli(['osticket', '--from', 'mysql://root@127.0.0.1:3306/no_such_database_here']).status).toBe(3)
    const wrongPrefix = cli(['osticket', '--from', from, '--prefix', 'xyz_'])
    expect(wrongPrefix.status).toBe(3)
    expect(wrongPrefix.stderr).toMatch(/no table xyz_ticket/)
  })

  it('prints what a dry run would do without writing, then imports with plain progress lines', () => {
    const dry = cli(['osticket', '--from', from, '--dry-run'])
    expect(dry.status, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/^Dry run/)
    expect(dry.stdout).toMatch(/ticket\s+331\s+0\s+0\s+0/)
    const db = new Database(join(dir, 'cli.db'), { readonly: true })
    expect(db.prepare('select count(*) as n from tickets').get()).toEqual({ n: 0 })
    db.close()
    const run = cli(['osticket', '--from', from])
    // The canned response's file is listed, and a run that leaves nothing out exits 0.
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/^tickets: 331$/m)
    expect(run.stdout).toMatch(/ticket\s+331\s+0\s+0\s+0/)
    expect(run.stdout).toMatch(/Time: \d+\.\d s/)
  })

  it('resumes an interrupted run where it stopped, without duplicates', async () => {
    const url = `sqlite:${join(dir, 'resume.db')}`
    const { openDatabase } = await import('../src/db/connection.ts')
    const { migrateToLatest } = await import('../src/db/migrate.ts')
    const { seedEssentials } = await import('../src/seed/demo.ts')
    const db = openDatabase(url)
    await migrateToLatest(db)
    await seedEssentials(db.writer, Date.now())
    let phase = ''
    const stopper = {
      phase: (name: string) => void (phase = name),
      tick: (done: number) => {
        if (phase === 'tickets' && done >= 100) throw new Error('interrupted')
      },
      end: () => {},
    }
    await expect(importOsticket(db, { from, batchSize: 50, progress: stopper })).rejects.toThrow(
      'interrupted',
    )
    const partial = Number(
      (
        await db.read
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    expect(partial).toBe(100)
    const rest = await importOsticket(db, { from, batchSize: 50 })
    expect(rest.counts.ticket).toEqual({ new: 231, changed: 0, unchanged: 100, failed: 0 })
    const numbers = await db.read.selectFrom('tickets').select('number').execute()
    expect(numbers).toHaveLength(331)
    expect(new Set(numbers.map((n) => n.number)).size).toBe(331)
    await db.close()
  })
})
