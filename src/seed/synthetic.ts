// `switchboard seed --synthetic N`: a help desk's worth of realistic tickets for benchmarks and demos. It writes
// rows straight to the tables in large transactions (the commands would take hours for a million tickets), so
// it keeps by hand every invariant the commands keep: number = id + 100000, a full-text row for each subject
// and entry (SQLite; PostgreSQL's tsvector columns are generated), events for what happened, a version, the
// SLA clock computed by the same domain functions as the app, and last_activity_at at the last entry.
import { sql, type Kysely } from 'kysely'
import { hashPassword } from '../commands/auth.ts'
import type { Database } from '../db/connection.ts'
import {
  bulkInsert,
  droppableIndexes,
  resetIdSequences,
  advanceTicketNumbers,
  type BulkColumn,
  type IndexDefinition,
} from '../db/dialect.ts'
import type { DB } from '../db/schema.ts'
import {
  advanceClock,
  columnsOf,
  fireDue,
  type SlaClock,
  type SlaFacts,
  type SlaPlan,
} from '../domain/slaClock.ts'
import { ticketNumberFor, type EntryKind, type Priority, type StatusCategory } from '../domain/tickets.ts'
import { DEFAULT_AUTO_CLOSE_DAYS } from '../jobs/statusSweeps.ts'
import { getSetting, putSetting } from '../repositories/settingsRepo.ts'
import { RoutingConfig } from '../routingConfig.ts'
import { DEMO_PASSWORD, seedDemo } from './demo.ts'
import {
  emailLocal,
  FIRST_NAMES,
  LAST_NAMES,
  organizationName,
  Random,
  TAGS,
  TextMaker,
  Weighted,
  zipf,
} from './syntheticText.ts'

export interface SyntheticOptions {
  tickets: number
  /** Customers to create (default: one for every ten tickets). */
  customers?: number
  /** The same seed gives the same tickets (times are relative to `now`). */
  seed?: number
  /** Seed even though the database holds tickets that this command did not make. */
  force?: boolean
  now?: number
  onProgress?: (done: number, total: number, elapsedMs: number) => void
}

export interface SyntheticSummary {
  tickets: number
  entries: number
  events: number
  customers: number
  agents: number
  elapsedMs: number
}

/** Refused: the database holds tickets that people made. */
export class RealTicketsPresent extends Error {}

/** settings key: how many tickets synthetic seeding has written, so it can tell its own from real ones. */
export const SYNTHETIC_MARKER = 'synthetic_tickets'

/** Departments: the demo ones and a few more, with their share of the tickets and of the agents. */
const DEPARTMENTS: [string, number][] = [
  ['Support', 40],
  ['Billing', 18],
  ['System Administrators', 12],
  ['Sales', 10],
  ['Returns', 10],
  ['Onboarding', 6],
  ['Security', 4],
]
const TEAMS: [string, string[]][] = [
  ['Tier 2', ['Support', 'System Administrators']],
  ['Escalations', ['Support', 'Billing', 'Security']],
  ['Billing specialists', ['Billing']],
  ['Night shift', ['Support', 'Returns']],
]
const STATUS_OF_ACTIVE = new Weighted(['open', 'pending', 'on_hold'] as const, [55, 30, 15])
const FINISHED = new Weighted(['closed', 'resolved'] as const, [60, 40])
const PRIORITY = new Weighted(['low', 'normal', 'high', 'emergency'] as const, [20, 61, 17, 2])
const SOURCE = new Weighted(['web', 'email', 'api', 'agent'] as const, [45, 40, 10, 5])
const THREAD_LENGTH = new Weighted([1, 2, 3, 4, 5, 6, 7, 8], [30, 25, 17, 11, 7, 5, 3, 2])
const TAG_COUNT = new Weighted([0, 1, 2, 3], [35, 35, 20, 10])
const TAG = zipf(TAGS, 1.1)
const CATEGORY: Record<string, StatusCategory> = {
  open: 'open',
  pending: 'pending',
  on_hold: 'on_hold',
  resolved: 'resolved',
  closed: 'closed',
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Tickets span two years; volume grew over them (density falls off as 1/sqrt(age)). */
const HORIZON = 730 * DAY

const int = (name: string): BulkColumn => ({ name, type: 'integer' })
const big = (name: string): BulkColumn => ({ name, type: 'bigint' })
const txt = (name: string): BulkColumn => ({ name, type: 'text' })
const TICKET_COLUMNS = [
  int('id'),
  txt('number'),
  txt('subject'),
  int('department_id'),
  int('assignee_agent_id'),
  int('assignee_team_id'),
  int('requester_id'),
  txt('priority'),
  txt('status'),
  txt('source'),
  int('version'),
  big('created_at'),
  big('updated_at'),
  big('closed_at'),
  big('last_activity_at'),
  int('sla_plan_id'),
  txt('sla_plan_source'),
  big('sla_first_response_due_at'),
  big('sla_next_response_due_at'),
  big('sla_resolution_due_at'),
  big('sla_first_responded_at'),
  txt('sla_state'),
  big('sla_alert_at'),
  txt('sla_clock'),
  txt('custom_fields'),
]
const ENTRY_COLUMNS = [
  int('id'),
  int('ticket_id'),
  txt('kind'),
  txt('body'),
  int('author_id'),
  big('created_at'),
]
const EVENT_COLUMNS = [
  int('id'),
  int('ticket_id'),
  int('actor_id'),
  txt('type'),
  txt('channel'),
  txt('before'),
  txt('after'),
  big('created_at'),
]
const SEARCH_COLUMNS = [int('rowid'), txt('content'), int('ticket_id'), int('internal')]
const BULK_TABLES = ['tickets', 'thread_entries', 'events', 'ticket_tags', 'ticket_followers']

interface Agent {
  id: number
  name: string
}
interface Cast {
  departments: { id: number; agents: Agent[]; teams: number[] }[]
  departmentPick: Weighted<number>
  customers: { id: number; name: string }[]
  plan: SlaPlan | null
  /** Resolved tickets are closed by the worker after this long (0: never). */
  autoCloseMs: number
}

/** Rows of one batch of tickets, column values in the order of the *_COLUMNS lists. */
interface Batch {
  tickets: unknown[][]
  entries: unknown[][]
  events: unknown[][]
  search: unknown[][]
  tags: unknown[][]
  followers: unknown[][]
}

export async function seedSynthetic(db: Database, options: SyntheticOptions): Promise<SyntheticSummary> {
  const started = performance.now()
  const now = options.now ?? Date.now()
  const random = new Random(options.seed ?? 1)
  const w = db.writer
  await seedDemo(w, now)

  const existing = Number(
    (
      await w
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  const synthetic = Number((await getSetting(w, SYNTHETIC_MARKER)) ?? 0)
  if (existing > synthetic && !options.force)
    throw new RealTicketsPresent(
      `the database holds ${existing - synthetic} ticket(s) that seed --synthetic did not make; ` +
        'add --force to add synthetic tickets anyway',
    )

  const customerCount = options.customers ?? Math.max(1, Math.round(options.tickets / 10))
  const cast = await castOf(db, random, now, customerCount, options.tickets)
  const ids = await nextIds(w)
  const text = new TextMaker(random)

  // Building an index once over the loaded rows is much faster than keeping it through millions of inserts;
  // only worth it when the load at least doubles the table. The definitions are kept in a setting until they
  // are built again, so an interrupted run leaves them for the next one to restore.
  let dropped: IndexDefinition[] = JSON.parse(
    (await getSetting(w, 'synthetic_dropped_indexes')) ?? '[]',
  ) as IndexDefinition[]
  if (options.tickets >= Math.max(existing, 20_000)) {
    const more = await droppableIndexes(db.dialect, w, BULK_TABLES)
    dropped = [...dropped, ...more]
    await w.transaction().execute(async (trx) => {
      await putSetting(trx, 'synthetic_dropped_indexes', JSON.stringify(dropped))
      for (const index of more) await sql`drop index ${sql.id(index.name)}`.execute(trx)
    })
  }
  if (db.dialect === 'sqlite') {
    // Only this process writes now; a crash mid-seed loses the seed, never data anyone acknowledged.
    await sql`pragma synchronous = off`.execute(w)
    await sql`pragma cache_size = -262144`.execute(w)
    // FTS5 keeps this much of new terms in memory before it writes a segment (default 1 MB), and merges
    // segments as it goes (automerge 4). Larger segments, merged only when 16 pile up, loaded the index 1.4 to
    // 1.5 times faster. Both are set back to their defaults at the end.
    await sql`insert into ticket_search(ticket_search, rank) values ('hashsize', 67108864)`.execute(w)
    await sql`insert into ticket_search(ticket_search, rank) values ('automerge', 0)`.execute(w)
  }

  const summary = { tickets: 0, entries: 0, events: 0 }
  const BATCH = 5000
  let pending: Promise<void> = Promise.resolve()
  for (let done = 0; done < options.tickets;) {
    const n = Math.min(BATCH, options.tickets - done)
    const batch: Batch = { tickets: [], entries: [], events: [], search: [], tags: [], followers: [] }
    for (let i = 0; i < n; i++) makeTicket(batch, random, text, cast, ids, now, (done + i) / options.tickets)
    summary.tickets += n
    summary.entries += batch.entries.length
    summary.events += batch.events.length
    done += n
    const total = synthetic + summary.tickets
    // On PostgreSQL the next batch is generated while this one is written.
    await pending
    pending = w.transaction().execute(async (trx) => {
      if (db.dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(trx)
      await writeBatch(db, trx, batch)
      await putSetting(trx, SYNTHETIC_MARKER, String(total))
    })
    if (db.dialect === 'sqlite') await pending
    const reached = done
    pending.then(
      () => options.onProgress?.(reached, options.tickets, performance.now() - started),
      () => {},
    )
  }
  await pending

  if (dropped.length > 0) {
    await w.transaction().execute(async (trx) => {
      if (db.dialect === 'postgres') await sql`set local maintenance_work_mem = '256MB'`.execute(trx)
      for (const index of dropped) await sql.raw(index.create).execute(trx)
      await putSetting(trx, 'synthetic_dropped_indexes', '[]')
    })
  }
  await resetIdSequences(db.dialect, w, ['tickets', 'thread_entries', 'events', 'users', 'organizations'])
  // Synthetic tickets are numbered id + 100000; the counter for new tickets goes on after them (0017).
  const last = await w
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  await advanceTicketNumbers(db.dialect, w, Number(ticketNumberFor(Number(last?.id ?? 0))))
  await sql`analyze`.execute(w)
  if (db.dialect === 'sqlite') {
    await sql`insert into ticket_search(ticket_search, rank) values ('hashsize', 1048576)`.execute(w)
    await sql`insert into ticket_search(ticket_search, rank) values ('automerge', 4)`.execute(w)
    await sql`pragma synchronous = full`.execute(w)
  }
  return {
    ...summary,
    customers: customerCount,
    agents: cast.departments.reduce((n, d) => n + d.agents.length, 0),
    elapsedMs: performance.now() - started,
  }
}

/** The setting the auto-close sweep reads (jobs/statusSweeps.ts), with the same default. */
async function autoCloseDays(w: Kysely<DB>): Promise<number> {
  const value = await getSetting(w, 'auto_close_days')
  const days = value === undefined ? DEFAULT_AUTO_CLOSE_DAYS : Number(value)
  return Number.isFinite(days) && days >= 0 ? days : DEFAULT_AUTO_CLOSE_DAYS
}

async function writeBatch(db: Database, trx: Kysely<DB>, b: Batch): Promise<void> {
  await bulkInsert(db.dialect, trx, 'tickets', TICKET_COLUMNS, b.tickets)
  await bulkInsert(db.dialect, trx, 'thread_entries', ENTRY_COLUMNS, b.entries)
  await bulkInsert(db.dialect, trx, 'events', EVENT_COLUMNS, b.events)
  await bulkInsert(db.dialect, trx, 'ticket_tags', [int('ticket_id'), txt('tag')], b.tags)
  await bulkInsert(
    db.dialect,
    trx,
    'ticket_followers',
    [int('ticket_id'), int('agent_id'), big('created_at')],
    b.followers,
  )
  // The same rows as Database.indexForSearch writes: rowid = entry id, or minus the ticket id for the subject.
  if (db.dialect === 'sqlite') await bulkInsert(db.dialect, trx, 'ticket_search', SEARCH_COLUMNS, b.search)
}

interface Ids {
  ticket: number
  entry: number
  event: number
}

async function nextIds(w: Kysely<DB>): Promise<Ids> {
  const max = async (table: 'tickets' | 'thread_entries' | 'events') =>
    Number(
      (
        await w
          .selectFrom(table)
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    ) + 1
  return { ticket: await max('tickets'), entry: await max('thread_entries'), event: await max('events') }
}

/** Departments, agents, teams, organisations and customers; returns who is who. */
async function castOf(
  db: Database,
  random: Random,
  now: number,
  customerCount: number,
  tickets: number,
): Promise<Cast> {
  const w = db.writer
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const role = await w
    .selectFrom('roles')
    .select('id')
    .where('key', '=', 'expanded_access')
    .executeTakeFirstOrThrow()
  // About one agent for every 15,000 tickets (two years of a busy desk), at least one per department.
  const agentTarget = Math.min(120, Math.max(DEPARTMENTS.length * 2, Math.round(tickets / 15_000)))
  const departments: Cast['departments'] = []
  const usedEmails = new Set((await w.selectFrom('users').select('email').execute()).map((u) => u.email))
  const uniqueEmail = (local: string, domain: string) => {
    let email = `${local}@${domain}`
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`
    usedEmails.add(email)
    return email
  }
  const personName = () => `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`
  for (const [name, share] of DEPARTMENTS) {
    const found = await w.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst()
    const id =
      found?.id ??
      (
        await w
          .insertInto('departments')
          .values({ name, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const agents = await w
      .selectFrom('agent_departments as ad')
      .innerJoin('users as u', 'u.id', 'ad.agent_id')
      .select(['u.id', 'u.name'])
      .where('ad.department_id', '=', id)
      .orderBy('u.id')
      .execute()
    const want = Math.max(1, Math.round((agentTarget * share) / 100))
    for (let i = agents.length; i < want; i++) {
      const agentName = personName()
      const created = await w
        .insertInto('users')
        .values({
          type: 'agent',
          name: agentName,
          email: uniqueEmail(emailLocal(agentName), 'agents.example'),
          password_hash: passwordHash,
          primary_department_id: id,
          created_at: now - HORIZON,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await w
        .insertInto('agent_departments')
        .values({ agent_id: created.id, department_id: id, role_id: role.id })
        .execute()
      agents.push({ id: created.id, name: agentName })
    }
    departments.push({ id, agents, teams: [] })
  }
  for (const [teamName, members] of TEAMS) {
    const found = await w.selectFrom('teams').select('id').where('name', '=', teamName).executeTakeFirst()
    const teamId =
      found?.id ??
      (
        await w
          .insertInto('teams')
          .values({ name: teamName, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    for (const [i, [name]] of DEPARTMENTS.entries()) {
      if (!members.includes(name)) continue
      const d = departments[i]!
      d.teams.push(teamId)
      if (found) continue
      const chosen = d.agents.filter((_, k) => k % 3 === 0)
      if (chosen.length > 0)
        await w
          .insertInto('team_members')
          .values(chosen.map((a) => ({ team_id: teamId, agent_id: a.id })))
          .onConflict((oc) => oc.doNothing())
          .execute()
    }
  }

  // Organisations (one for every 50 customers); four customers in ten belong to one and mail from its domain.
  const orgStart =
    Number(
      (
        await w
          .selectFrom('organizations')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    ) + 1
  const usedOrgNames = new Set(
    (await w.selectFrom('organizations').select('name').execute()).map((o) => o.name),
  )
  const orgs: { id: number; domain: string }[] = []
  const orgRows: unknown[][] = []
  for (let i = 0; i < Math.max(1, Math.round(customerCount / 50)); i++) {
    let name = organizationName(random)
    for (let n = 2; usedOrgNames.has(name); n++) name = `${organizationName(random)} ${n}`
    usedOrgNames.add(name)
    const id = orgStart + i
    orgs.push({ id, domain: `${emailLocal(name).replace(/\./g, '-')}.example` })
    orgRows.push([id, name, now - HORIZON])
  }
  const userStart =
    Number(
      (
        await w
          .selectFrom('users')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    ) + 1
  const customers: Cast['customers'] = []
  const userRows: unknown[][] = []
  const freeMail = ['mail.example', 'inbox.example', 'post.example', 'example.net', 'example.org']
  for (let i = 0; i < customerCount; i++) {
    const name = personName()
    const org = random.chance(0.4) ? random.pick(orgs) : undefined
    const id = userStart + i
    const email = uniqueEmail(emailLocal(name), org?.domain ?? random.pick(freeMail))
    customers.push({ id, name })
    userRows.push(['customer', name, email, org?.id ?? null, now - HORIZON + random.int(HORIZON), id])
  }
  await w.transaction().execute(async (trx) => {
    await bulkInsert(db.dialect, trx, 'organizations', [int('id'), txt('name'), big('created_at')], orgRows)
    await bulkInsert(
      db.dialect,
      trx,
      'users',
      [txt('type'), txt('name'), txt('email'), int('organization_id'), big('created_at'), int('id')],
      userRows,
    )
  })

  const routing = await new RoutingConfig().current(w)
  const planId = routing.defaultPlanId()
  return {
    departments,
    departmentPick: new Weighted(
      departments.map((_, i) => i),
      DEPARTMENTS.map(([, share]) => share),
    ),
    customers,
    plan: (planId === null ? undefined : routing.plan(planId)) ?? null,
    autoCloseMs: (await autoCloseDays(w)) * DAY,
  }
}

/** `position` is the ticket's place in the whole run (0 oldest … 1 newest); ids follow creation. */
function makeTicket(
  b: Batch,
  random: Random,
  text: TextMaker,
  cast: Cast,
  ids: Ids,
  now: number,
  position: number,
): void {
  const id = ids.ticket++
  const age = HORIZON * (1 - position) ** 2 + random.next() * HOUR
  const created = Math.floor(now - age)
  // Recent tickets are mostly still being worked on; a backlog of older ones too.
  const active = random.chance(0.07 + 0.88 * Math.exp(-age / (2 * DAY)))
  let status: string = active ? STATUS_OF_ACTIVE.draw(random) : FINISHED.draw(random)
  const category = CATEGORY[status]!
  const priority: Priority = PRIORITY.draw(random)
  const source = SOURCE.draw(random)
  const department = cast.departments[cast.departmentPick.draw(random)]!
  const requester = random.pick(cast.customers)
  const roll = random.next()
  const agent = random.pick(department.agents)
  const assignee = roll < (active ? 0.65 : 0.92) ? agent : null
  const team =
    department.teams.length > 0 && roll > (active ? 0.8 : 0.95) ? random.pick(department.teams) : null
  const subject = text.subject()

  // The thread: the customer's message first, then replies, customer answers and the odd internal note,
  // squeezed into the ticket's lifetime so nothing happens in the future.
  const length = THREAD_LENGTH.draw(random)
  const kinds: EntryKind[] = ['message']
  for (let i = 1; i < length; i++)
    kinds.push(random.chance(0.15) ? 'note' : kinds[i - 1] === 'response' ? 'message' : 'response')
  if (status === 'pending' && kinds.length > 1) kinds[kinds.length - 1] = 'response'
  const gaps = kinds.map((k, i) =>
    i === 0 ? 0 : random.exponential(k === 'message' ? 14 * HOUR : k === 'response' ? 5 * HOUR : HOUR),
  )
  const closing = active ? 0 : random.exponential(DAY)
  const span = gaps.reduce((s, g) => s + g, 0) + closing
  const room = (now - created) * 0.98
  const scale = span > room ? room / span : 1
  const times: number[] = []
  let t = created
  for (const gap of gaps) times.push((t += Math.floor(gap * scale)))
  const lastEntryAt = times[times.length - 1]!
  const finishedAt = active ? null : Math.min(now - 1, lastEntryAt + Math.floor(closing * scale))
  const staff = assignee ?? agent
  const requesterActs = source !== 'agent'
  const channel = source === 'agent' ? 'web' : source

  // The SLA clock, advanced through the same changes with the app's own functions.
  let firstRespondedAt: number | null = null
  const facts = (f: Partial<SlaFacts> & { at: number }): SlaFacts => ({
    plan: cast.plan,
    priority,
    category: 'open',
    customerMessage: false,
    agentResponse: false,
    created: false,
    reopened: false,
    firstRespondedAt,
    ...f,
  })
  let clock: SlaClock | null = advanceClock(
    null,
    facts({ at: created, created: true, customerMessage: true }),
  )

  const eventsBefore = b.events.length
  const event = (actor: number, type: string, at: number, before: unknown, after: unknown, via = 'web') =>
    b.events.push([
      ids.event++,
      id,
      actor,
      type,
      via,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
      at,
    ])
  event(
    requesterActs ? requester.id : staff.id,
    'ticket.created',
    created,
    null,
    { subject, priority, status: 'open', departmentId: department.id, source },
    channel,
  )
  if (cast.plan)
    event(
      requesterActs ? requester.id : staff.id,
      'sla.plan_changed',
      created,
      { planId: null },
      {
        planId: cast.plan.id,
        source: 'default',
      },
      channel,
    )
  if (assignee)
    event(
      staff.id,
      'ticket.assigned',
      times[1] ?? created,
      { assigneeAgentId: null },
      { assigneeAgentId: assignee.id },
    )
  if (team)
    event(
      staff.id,
      'ticket.team_assigned',
      times[1] ?? created,
      { assigneeTeamId: null },
      { assigneeTeamId: team },
    )

  b.search.push([-id, subject, id, 0])
  kinds.forEach((kind, i) => {
    const entryId = ids.entry++
    const at = times[i]!
    const byCustomer = kind === 'message' && (i > 0 || requesterActs)
    const author = byCustomer ? requester : staff
    const body = text.body(kind, author.name)
    b.entries.push([entryId, id, kind, body, author.id, at])
    b.search.push([entryId, body, id, kind === 'note' ? 1 : 0])
    if (i > 0) event(author.id, `${kind}.added`, at, null, { entryId }, byCustomer ? channel : 'web')
    if (i > 0 && kind !== 'note') {
      clock = advanceClock(
        clock,
        facts({ at, agentResponse: kind === 'response', customerMessage: kind === 'message' }),
      )
      if (kind === 'response') firstRespondedAt ??= at
    }
  })
  let lastActivity = lastEntryAt
  if (category !== 'open') {
    const at = finishedAt ?? Math.min(now - 1, lastEntryAt + Math.floor(random.exponential(HOUR)))
    event(staff.id, 'ticket.status_changed', at, { status: 'open' }, { status })
    clock = advanceClock(clock, facts({ at, category }))
    lastActivity = Math.max(lastActivity, at)
  }
  // A ticket resolved longer ago than auto_close_days was closed by the worker's sweep, as on a real desk;
  // left resolved, the first `serve` would spend its first hour closing a third of the tickets.
  let closedAt = finishedAt
  if (status === 'resolved' && cast.autoCloseMs > 0 && finishedAt! + cast.autoCloseMs <= now) {
    closedAt = finishedAt! + cast.autoCloseMs
    b.events.push([
      ids.event++,
      id,
      null,
      'ticket.status_changed',
      'system',
      JSON.stringify({ status }),
      JSON.stringify({ status: 'closed', autoClosedAfterDays: cast.autoCloseMs / DAY }),
      closedAt,
    ])
    status = 'closed'
  }
  // The sweep would have fired every threshold already passed; mark them fired so it does not do so now.
  if (clock) clock = fireDue(clock, now).clock
  const sla = columnsOf(clock, now)

  const tagCount = TAG_COUNT.draw(random)
  const tags = new Set<string>()
  for (let i = 0; i < tagCount; i++) tags.add(TAG.draw(random))
  for (const tag of tags) b.tags.push([id, tag])
  if (random.chance(0.08)) {
    const follower = random.pick(department.agents)
    if (follower.id !== assignee?.id) b.followers.push([id, follower.id, created])
  }

  b.tickets.push([
    id,
    ticketNumberFor(id),
    subject,
    department.id,
    assignee?.id ?? null,
    team,
    requester.id,
    priority,
    status,
    source,
    b.events.length - eventsBefore,
    created,
    Math.max(lastActivity, closedAt ?? 0),
    closedAt,
    lastActivity,
    cast.plan?.id ?? null,
    cast.plan ? 'default' : null,
    sla.firstResponseDueAt,
    sla.nextResponseDueAt,
    sla.resolutionDueAt,
    firstRespondedAt,
    sla.state,
    sla.alertAt,
    clock === null ? null : JSON.stringify(clock),
    '{}',
  ])
}
