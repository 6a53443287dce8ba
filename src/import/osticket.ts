// `switchboard import osticket`: brings an osTicket 1.10–1.18 help desk over (issue 14; docs/import.md).
//
// Every imported row is recorded in import_map (kind, osTicket id → our id, checksum of the source row), in the
// same transaction as the row itself: a second run imports only what is new or changed, and a run that was
// interrupted picks up after the last batch it committed. Tickets and their threads go in batches, each its own
// short transaction, so a running server is never kept waiting on the write lock for long.
import { createHash } from 'node:crypto'
import { convert } from 'html-to-text'
import { sql, type Kysely } from 'kysely'
import { loadConfig } from '../config.ts'
import type { Database } from '../db/connection.ts'
import {
  advanceTicketNumbers,
  bulkInsert,
  nextTicketNumber,
  type BulkColumn,
  type SearchRow,
} from '../db/dialect.ts'
import type { DB } from '../db/schema.ts'
import { normalizeEmail } from '../domain/emailAddress.ts'
import { PRIORITIES, SUBJECT_MAX, BODY_MAX, type Priority, type StatusCategory } from '../domain/tickets.ts'
import { storable } from '../mail/parseMail.ts'
import { sanitizeMailHtml } from '../mail/sanitizeHtml.ts'
import { attachmentStore, storeBuffer, type AttachmentStore } from '../repositories/attachmentStore.ts'
import { getSetting } from '../repositories/settingsRepo.ts'
import { OsticketSource, int, str, when, type Row } from './osticketSource.ts'

export { ImportUsageError, SourceError } from './osticketSource.ts'

const SOURCE = 'osticket'

export interface Progress {
  /** A phase begins; `total` rows (0 when unknown). */
  phase(name: string, total: number): void
  /** `done` of the phase's rows handled so far. */
  tick(done: number): void
  end(): void
}

export interface ImportOptions {
  from: string
  prefix?: string
  dryRun?: boolean
  /** Tickets per transaction (default 100). */
  batchSize?: number
  progress?: Progress
  /** Where attachment content goes (default: as ATTACHMENT_STORAGE says, like the server). */
  attachments?: AttachmentStore
}

export interface KindCount {
  new: number
  changed: number
  unchanged: number
  failed: number
}

export interface ImportReport {
  dryRun: boolean
  counts: Record<string, KindCount>
  /** Rows that could not be imported (or only in part), and why. */
  problems: { kind: string; sourceId: string; reason: string }[]
  /** What does not come over by design, and where the rest of osTicket's data went. */
  notes: string[]
  elapsedMs: number
  /** The longest transaction of the ticket phase: how long the write lock was held at most (SQLite). */
  longestBatchMs: number
}

type Mapped = { target: number; checksum: string }

const checksum = (value: unknown) =>
  createHash('sha1')
    .update(JSON.stringify(value, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))
    .digest('base64url')

/** osTicket's role names onto ours; other roles go by what they allow (see docs/import.md). */
const ROLE_BY_NAME: Record<string, string> = {
  'all access': 'all_access',
  'expanded access': 'expanded_access',
  'limited access': 'limited_access',
  'view only': 'view_only',
}

const SOURCES: Record<string, 'web' | 'email' | 'api' | 'agent'> = {
  web: 'web',
  email: 'email',
  api: 'api',
  phone: 'agent',
  other: 'agent',
}

const FIELD_TYPES: Record<string, 'text' | 'long_text' | 'date' | 'checkbox' | 'select'> = {
  text: 'text',
  memo: 'long_text',
  phone: 'text',
  datetime: 'date',
  bool: 'checkbox',
  choices: 'select',
}

/** Fields osTicket's ticket form has that are columns of our tickets, not custom fields. */
const TICKET_OWN_FIELDS = new Set(['subject', 'message', 'priority'])

const RULE_FIELDS: Record<string, string> = {
  email: 'requester_email',
  subject: 'subject',
  body: 'body',
}
const RULE_OPS: Record<string, string> = {
  equal: 'equals',
  not_equal: 'not_equals',
  contains: 'contains',
  dn_contain: 'not_contains',
  starts: 'starts_with',
  ends: 'ends_with',
  match: 'regex',
}

/** osTicket stores plain-text entries HTML-escaped. */
function unescapeText(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#039;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
}

/** An entry's text (and sanitised HTML, for HTML entries). */
function prepareBody(e: Row): { html: string | null; body: string } {
  const isHtml = str(e.format) === 'html'
  const raw = str(e.body)
  const html = isHtml ? sanitizeMailHtml(raw) : null
  const text = isHtml ? convert(html!, { wordwrap: false }) : unescapeText(raw)
  const title = str(e.title)
  return { html, body: storable(text.trim() === '' && title ? title : text, BODY_MAX) || '(empty)' }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'f_$1')
    .slice(0, 60) || 'field'

export async function importOsticket(db: Database, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now()
  const source = await OsticketSource.open({ from: options.from, prefix: options.prefix ?? 'ost_' })
  try {
    const run = new Run(db, source, options)
    await run.all()
    return { ...run.report, elapsedMs: performance.now() - started, longestBatchMs: run.longestBatchMs }
  } finally {
    await source.close()
  }
}

class Run {
  readonly report: Omit<ImportReport, 'elapsedMs' | 'longestBatchMs'>
  longestBatchMs = 0
  private readonly map = new Map<string, Map<string, Mapped>>()
  private readonly dry: boolean
  private readonly batchSize: number
  private readonly progress: Progress
  private now = Date.now()
  private priorityOf = new Map<number, Priority>()
  private statusOf = new Map<number, { key: string; category: StatusCategory }>()
  private fieldOf = new Map<number, { key: string; type: string; choices: Map<string, string> }>()
  private systemAgentId: number | undefined
  private defaultDepartmentId: number | undefined
  private staffEmail = new Map<number, string>()
  private userEmail = new Map<number, string>()
  private teamMembers = new Map<number, number[]>()
  private rolesByKey = new Map<string, number>()
  private departmentNames = new Map<number, string>()
  private staffNames = new Map<number, string>()
  private teamNames = new Map<number, string>()
  private maxNumber = 0
  private cannedFiles = 0
  private readonly store: AttachmentStore

  constructor(
    private readonly db: Database,
    private readonly src: OsticketSource,
    options: ImportOptions,
  ) {
    this.dry = options.dryRun ?? false
    this.batchSize = options.batchSize ?? 100
    this.store = options.attachments ?? attachmentStore(loadConfig().attachments)
    this.progress = options.progress ?? { phase() {}, tick() {}, end() {} }
    this.report = { dryRun: this.dry, counts: {}, problems: [], notes: [] }
  }

  private count(kind: string, what: keyof KindCount, n = 1) {
    const c = (this.report.counts[kind] ??= { new: 0, changed: 0, unchanged: 0, failed: 0 })
    c[what] += n
  }

  private problem(kind: string, sourceId: unknown, reason: string) {
    this.report.problems.push({ kind, sourceId: String(sourceId), reason })
    this.count(kind, 'failed')
  }

  private mapped(kind: string, id: unknown): Mapped | undefined {
    return this.map.get(kind)?.get(String(id))
  }

  private target(kind: string, id: unknown): number | null {
    if (id === null || id === undefined || Number(id) === 0) return null
    return this.mapped(kind, id)?.target ?? null
  }

  private remember(kind: string, id: unknown, target: number, sum: string) {
    if (!this.map.has(kind)) this.map.set(kind, new Map())
    this.map.get(kind)!.set(String(id), { target, checksum: sum })
  }

  /** Whether the row is new, changed or the same as last time (counted). */
  private classify(kind: string, id: unknown, sum: string): 'new' | 'changed' | 'unchanged' {
    const m = this.mapped(kind, id)
    const state = !m ? 'new' : m.checksum === sum ? 'unchanged' : 'changed'
    this.count(kind, state)
    return state
  }

  private async saveMap(trx: Kysely<DB>, kind: string, id: unknown, target: number, sum: string) {
    await trx
      .insertInto('import_map')
      .values({
        source: SOURCE,
        kind,
        source_id: String(id),
        target_id: target,
        checksum: sum,
        imported_at: this.now,
      })
      .onConflict((oc) =>
        oc
          .columns(['source', 'kind', 'source_id'])
          .doUpdateSet({ target_id: target, checksum: sum, imported_at: this.now }),
      )
      .execute()
    this.remember(kind, id, target, sum)
  }

  private async loadMap() {
    const rows = await this.db.writer
      .selectFrom('import_map')
      .select(['kind', 'source_id', 'target_id', 'checksum'])
      .where('source', '=', SOURCE)
      .execute()
    for (const r of rows) this.remember(r.kind, r.source_id, r.target_id, r.checksum)
  }

  /** One small phase in one transaction (dry run: only counted). */
  private async phase<T extends Row>(
    name: string,
    rows: T[],
    fn: (trx: Kysely<DB> | undefined, row: T) => Promise<void>,
  ) {
    this.progress.phase(name, rows.length)
    if (this.dry) {
      for (const r of rows) await fn(undefined, r)
    } else {
      await this.db.transact(async (trx) => {
        for (const r of rows) await fn(trx, r)
      })
    }
    this.progress.tick(rows.length)
    this.progress.end()
  }

  async all() {
    this.now = Date.now()
    await this.loadMap()
    for (const r of await this.db.writer.selectFrom('roles').select(['id', 'key']).execute())
      this.rolesByKey.set(r.key, r.id)
    const dflt = await getSetting(this.db.writer, 'default_department_id')
    this.defaultDepartmentId = dflt === undefined ? undefined : Number(dflt)
    this.mapPriorities(await this.src.rows('select * from {ticket_priority}'))
    await this.schedules()
    await this.slaPlans()
    await this.departments()
    await this.teams()
    await this.agents()
    await this.departmentLinks()
    await this.organizations()
    await this.users()
    await this.statuses()
    await this.fields()
    await this.topics()
    await this.canned()
    await this.filters()
    await this.systemAgent()
    await this.tickets()
    this.notesAtEnd()
  }

  // ---- configuration ---------------------------------------------------------------------------------------

  private mapPriorities(rows: Row[]) {
    const byUrgency = [...rows].sort((a, b) => int(a.priority_urgency) - int(b.priority_urgency))
    const ranks: Priority[] = ['emergency', 'high', 'normal', 'low']
    byUrgency.forEach((r, i) => {
      const name = str(r.priority).toLowerCase()
      const p = (PRIORITIES as readonly string[]).includes(name)
        ? (name as Priority)
        : ranks[Math.min(i, ranks.length - 1)]!
      this.priorityOf.set(int(r.priority_id), p)
      this.count('priority', 'unchanged')
    })
  }

  private priority(id: unknown): Priority {
    return this.priorityOf.get(int(id)) ?? 'normal'
  }

  private async schedules() {
    if (!this.src.has('schedule')) return
    const schedules = await this.src.rows('select * from {schedule} order by id')
    const entries = await this.src.rows('select * from {schedule_entry} order by schedule_id, sort, id')
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
    await this.phase('business-hours schedules', schedules, async (trx, s) => {
      const weekly: Record<string, { start: string; end: string }[]> = {}
      const holidays: string[] = []
      const hm = (t: unknown) => {
        const v = str(t).slice(0, 5)
        return v === '23:59' ? '24:00' : v
      }
      const add = (d: string, e: Row) =>
        (weekly[d] ??= []).push({ start: hm(e.starts_at), end: hm(e.ends_at) })
      const own = entries.filter((e) => int(e.schedule_id) === int(s.id))
      let skipped = 0
      for (const e of own) {
        const repeats = str(e.repeats)
        if (repeats === 'daily') for (const d of days) add(d, e)
        else if (repeats === 'weekdays') for (const d of days.slice(0, 5)) add(d, e)
        else if (repeats === 'weekends') for (const d of days.slice(5)) add(d, e)
        else if (repeats === 'weekly' && int(e.day) >= 1 && int(e.day) <= 7) add(days[int(e.day) - 1]!, e)
        else if (repeats === 'never' && e.starts_on) holidays.push(str(e.starts_on).slice(0, 10))
        else skipped++
      }
      if (skipped > 0)
        this.report.notes.push(
          `Schedule "${str(s.name)}": ${skipped} ${skipped === 1 ? 'entry' : 'entries'} repeating monthly or yearly (holidays) not imported; add them as holidays.`,
        )
      const values = {
        name: storable(str(s.name), 100) || `Schedule ${int(s.id)}`,
        time_zone: str(s.timezone) || 'UTC',
        weekly: JSON.stringify(weekly),
        holidays: JSON.stringify(holidays),
      }
      const sum = checksum([s, own])
      const state = this.classify('schedule', s.id, sum)
      if (!trx || state === 'unchanged') return
      const m = this.mapped('schedule', s.id)
      let target = m?.target
      if (target !== undefined)
        await trx.updateTable('business_schedules').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('business_schedules')
            .values({ ...values, created_at: when(s.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'schedule', s.id, target, sum)
    })
  }

  private async slaPlans() {
    const plans = await this.src.optional('sla', 'select * from {sla} order by id')
    await this.phase('SLA plans', plans, async (trx, p) => {
      // osTicket's SLA has one number: the grace period (hours) until a ticket is due. It becomes the
      // resolution target of every priority; osTicket has no response targets.
      const minutes = Math.max(1, Math.min(525_600, int(p.grace_period) * 60))
      const scheduleId = this.target('schedule', p.schedule_id)
      const hours = scheduleId === null ? '24x7' : 'business'
      const targets = Object.fromEntries(
        PRIORITIES.map((pr) => [
          pr,
          { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: minutes, hours },
        ]),
      )
      const values = {
        name: storable(str(p.name), 100) || `SLA ${int(p.id)}`,
        schedule_id: scheduleId,
        targets: JSON.stringify(targets),
        is_active: int(p.flags) & 1 ? 1 : 0,
      }
      const sum = checksum([p, scheduleId])
      const state = this.classify('sla_plan', p.id, sum)
      if (!trx || state === 'unchanged') return
      let target = this.mapped('sla_plan', p.id)?.target
      if (target !== undefined)
        await trx.updateTable('sla_plans').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('sla_plans')
            .values({ ...values, created_at: when(p.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'sla_plan', p.id, target, sum)
    })
  }

  private async departments() {
    const rows = await this.src.rows('select * from {department} order by id')
    for (const d of rows) this.departmentNames.set(int(d.id), str(d.name))
    await this.phase('departments', rows, async (trx, d) => {
      const values = {
        name: storable(str(d.name), 100) || `Department ${int(d.id)}`,
        sla_plan_id: this.target('sla_plan', d.sla_id),
      }
      const sum = checksum([d.name, d.sla_id, this.target('sla_plan', d.sla_id)])
      const state = this.classify('department', d.id, sum)
      if (!trx || state === 'unchanged') return
      let target = this.mapped('department', d.id)?.target
      // A department of ours with the same name (the "Support" every install has) is the same department.
      target ??= (
        await trx.selectFrom('departments').select('id').where('name', '=', values.name).executeTakeFirst()
      )?.id
      if (target !== undefined)
        await trx.updateTable('departments').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('departments')
            .values({ ...values, created_at: when(d.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'department', d.id, target, sum)
    })
  }

  private async teams() {
    const rows = await this.src.optional('team', 'select * from {team} order by team_id')
    const members = await this.src.optional('team_member', 'select * from {team_member}')
    for (const m of members) {
      const list = this.teamMembers.get(int(m.team_id)) ?? []
      list.push(int(m.staff_id))
      this.teamMembers.set(int(m.team_id), list)
    }
    for (const t of rows) this.teamNames.set(int(t.team_id), str(t.name))
    await this.phase('teams', rows, async (trx, t) => {
      const values = {
        name: storable(str(t.name), 100) || `Team ${int(t.team_id)}`,
        is_active: int(t.flags) & 1 ? 1 : 0,
      }
      const sum = checksum([t.name, t.flags])
      const state = this.classify('team', t.team_id, sum)
      if (!trx || state === 'unchanged') return
      let target = this.mapped('team', t.team_id)?.target
      if (target !== undefined) await trx.updateTable('teams').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('teams')
            .values({ ...values, created_at: when(t.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'team', t.team_id, target, sum)
    })
    if (rows.some((t) => int(t.lead_id) !== 0))
      this.report.notes.push('Team leads: Switchboard teams have no lead; the leads stay members.')
  }

  private roleFor(roles: Map<number, Row>, roleId: unknown, who: string): number {
    const role = roles.get(int(roleId))
    const name = str(role?.name).toLowerCase()
    let key = ROLE_BY_NAME[name]
    if (!key) {
      // A role of the shop's own: by what it allows.
      const perms = Object.keys(JSON.parse(str(role?.permissions) || '{}') as Record<string, unknown>)
      key = perms.includes('ticket.delete')
        ? 'all_access'
        : perms.includes('ticket.close') && perms.includes('ticket.reply')
          ? 'expanded_access'
          : perms.length > 0
            ? 'limited_access'
            : 'view_only'
      this.report.notes.push(`Role "${str(role?.name) || roleId}" (${who}) became ${key} by its permissions.`)
    }
    return this.rolesByKey.get(key) ?? this.rolesByKey.get('limited_access')!
  }

  private async agents() {
    const staff = await this.src.rows('select * from {staff} order by staff_id')
    const roles = new Map(
      (await this.src.optional('role', 'select * from {role}')).map((r) => [int(r.id), r]),
    )
    const access = await this.src.optional('staff_dept_access', 'select * from {staff_dept_access}')
    await this.phase('agents', staff, async (trx, s) => {
      const id = int(s.staff_id)
      const email = normalizeEmail(str(s.email))
      const name = `${str(s.firstname)} ${str(s.lastname)}`.trim() || str(s.username)
      this.staffEmail.set(id, email)
      this.staffNames.set(id, name)
      const legacy = !str(s.passwd).startsWith('$2')
      const mine = access.filter((a) => int(a.staff_id) === id)
      const sum = checksum([s, mine])
      if (!email.includes('@')) return this.problem('agent', s.username, 'no email address')
      const state = this.classify('agent', id, sum)
      if (state === 'new' && legacy)
        this.report.problems.push({
          kind: 'agent',
          sourceId: str(s.username),
          reason: 'password in a legacy format (not bcrypt): must reset it ("Forgot password")',
        })
      if (!trx || state === 'unchanged') return
      const primary = this.target('department', s.dept_id)
      const values = {
        type: 'agent' as const,
        name: storable(name, 200),
        email,
        password_hash: legacy ? null : str(s.passwd),
        is_admin: int(s.isadmin) ? 1 : 0,
        is_active: int(s.isactive) ? 1 : 0,
        on_vacation: int(s.onvacation) ? 1 : 0,
        primary_department_id: primary,
      }
      let target = this.mapped('agent', id)?.target
      const existing = await trx
        .selectFrom('users')
        .select(['id', 'type'])
        .where('email', '=', email)
        .executeTakeFirst()
      if (target === undefined && existing) {
        if (existing.type !== 'agent')
          return this.problem('agent', s.username, `${email} is a customer of ours`)
        target = existing.id
      }
      if (target !== undefined) {
        // A password changed here since the last run is kept.
        const { password_hash, ...rest } = values
        const current = await trx
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', target)
          .executeTakeFirst()
        await trx
          .updateTable('users')
          .set(current?.password_hash?.startsWith('$argon2') ? rest : { ...rest, password_hash })
          .where('id', '=', target)
          .execute()
      } else
        target = (
          await trx
            .insertInto('users')
            .values({ ...values, created_at: when(s.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await trx.deleteFrom('agent_departments').where('agent_id', '=', target).execute()
      const memberships = new Map<number, number>()
      if (primary !== null) memberships.set(primary, this.roleFor(roles, s.role_id, name))
      for (const a of mine) {
        const dept = this.target('department', a.dept_id)
        if (dept !== null && !memberships.has(dept))
          memberships.set(dept, this.roleFor(roles, a.role_id, name))
      }
      for (const [department_id, role_id] of memberships)
        await trx
          .insertInto('agent_departments')
          .values({ agent_id: target, department_id, role_id })
          .execute()
      await this.saveMap(trx, 'agent', id, target, sum)
    })
  }

  /** Parents and managers need the departments and agents first; team members need the agents. */
  private async departmentLinks() {
    if (this.dry) return
    const rows = await this.src.rows('select id, pid, manager_id from {department}')
    await this.db.transact(async (trx) => {
      for (const d of rows) {
        const target = this.target('department', d.id)
        if (target === null) continue
        await trx
          .updateTable('departments')
          .set({
            parent_id: this.target('department', d.pid),
            manager_id: this.target('agent', d.manager_id),
          })
          .where('id', '=', target)
          .execute()
      }
      for (const [team, staff] of this.teamMembers) {
        const teamId = this.target('team', team)
        if (teamId === null) continue
        await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute()
        for (const s of new Set(staff)) {
          const agent = this.target('agent', s)
          if (agent !== null)
            await trx.insertInto('team_members').values({ team_id: teamId, agent_id: agent }).execute()
        }
      }
    })
  }

  private async organizations() {
    const rows = await this.src.optional('organization', 'select * from {organization} order by id')
    await this.phase('organisations', rows, async (trx, o) => {
      const sum = checksum([o.name, o.status])
      const state = this.classify('organization', o.id, sum)
      if (!trx || state === 'unchanged') return
      const values = { name: storable(str(o.name), 200) || `Organisation ${int(o.id)}` }
      let target = this.mapped('organization', o.id)?.target
      if (target !== undefined)
        await trx.updateTable('organizations').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('organizations')
            .values({ ...values, created_at: when(o.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'organization', o.id, target, sum)
    })
  }

  private async users() {
    const users = await this.src.rows('select * from {user} order by id')
    const emails = await this.src.rows('select * from {user_email} order by id')
    const accounts = await this.src.optional('user_account', 'select * from {user_account}')
    const byUser = new Map<number, Row[]>()
    for (const e of emails) {
      const list = byUser.get(int(e.user_id)) ?? []
      list.push(e)
      byUser.set(int(e.user_id), list)
    }
    const accountOf = new Map(accounts.map((a) => [int(a.user_id), a]))
    this.progress.phase('users', users.length)
    const chunks: Row[][] = []
    for (let i = 0; i < users.length; i += 500) chunks.push(users.slice(i, i + 500))
    let done = 0
    for (const chunk of chunks) {
      const work = async (trx: Kysely<DB> | undefined) => {
        for (const u of chunk) await this.user(trx, u, byUser.get(int(u.id)) ?? [], accountOf.get(int(u.id)))
      }
      if (this.dry) await work(undefined)
      else await this.db.transact(work)
      done += chunk.length
      this.progress.tick(done)
    }
    this.progress.end()
  }

  private async user(trx: Kysely<DB> | undefined, u: Row, emails: Row[], account: Row | undefined) {
    const id = int(u.id)
    const primaryRow = emails.find((e) => int(e.id) === int(u.default_email_id)) ?? emails[0]
    if (!primaryRow) return this.problem('user', id, 'no email address')
    const primary = normalizeEmail(str(primaryRow.address))
    this.userEmail.set(id, primary)
    const others = emails.filter((e) => e !== primaryRow).map((e) => normalizeEmail(str(e.address)))
    const passwd = str(account?.passwd)
    const bcrypt = passwd.startsWith('$2')
    const sum = checksum([u.name, u.org_id, primary, others, passwd, account?.status])
    const state = this.classify('user', id, sum)
    if (state === 'new' && passwd && !bcrypt)
      this.report.problems.push({
        kind: 'user',
        sourceId: primary,
        reason: 'portal password in a legacy format (not bcrypt): must reset it ("Forgot password")',
      })
    if (!trx || state === 'unchanged') return
    const values = {
      name: storable(str(u.name), 200) || primary.split('@')[0]!,
      email: primary,
      organization_id: this.target('organization', u.org_id),
    }
    let target = this.mapped('user', id)?.target
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'type'])
      .where('email', '=', primary)
      .executeTakeFirst()
    if (target === undefined && existing) {
      if (existing.type !== 'customer') {
        this.count('user', 'new', -1)
        return this.problem('user', primary, 'the address is an agent’s; the user’s tickets are not imported')
      }
      target = existing.id
    }
    if (target !== undefined) {
      const current = await trx
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', target)
        .executeTakeFirst()
      await trx
        .updateTable('users')
        .set({
          ...values,
          ...(current?.password_hash?.startsWith('$argon2') ? {} : { password_hash: bcrypt ? passwd : null }),
        })
        .where('id', '=', target)
        .execute()
    } else
      target = (
        await trx
          .insertInto('users')
          .values({
            ...values,
            type: 'customer',
            password_hash: bcrypt ? passwd : null,
            created_at: when(u.created) ?? this.now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    for (const address of others) {
      const taken = await trx.selectFrom('users').select('id').where('email', '=', address).executeTakeFirst()
      const known = await trx
        .selectFrom('user_addresses')
        .select('user_id')
        .where('address', '=', address)
        .executeTakeFirst()
      if ((taken && taken.id !== target) || (known && known.user_id !== target)) {
        this.report.problems.push({
          kind: 'user_address',
          sourceId: address,
          reason: 'belongs to someone else here',
        })
        continue
      }
      if (!known)
        await trx
          .insertInto('user_addresses')
          .values({ address, user_id: target, created_at: this.now })
          .execute()
    }
    await this.saveMap(trx, 'user', id, target, sum)
  }

  private async statuses() {
    const rows = await this.src.optional('ticket_status', 'select * from {ticket_status} order by id')
    const ours = await this.db.writer.selectFrom('ticket_statuses').selectAll().execute()
    await this.phase('statuses', rows, async (trx, s) => {
      const name = str(s.name)
      const byName = ours.find((o) => o.name.toLowerCase() === name.toLowerCase())
      const state = str(s.state)
      const category: StatusCategory =
        state === 'open' ? 'open' : name.toLowerCase() === 'resolved' ? 'resolved' : 'closed'
      if (byName) {
        this.statusOf.set(int(s.id), { key: byName.key, category: byName.category as StatusCategory })
        this.count('status', 'unchanged')
        return
      }
      let key = slug(name).slice(0, 31)
      if (!/^[a-z]/.test(key) || ours.some((o) => o.key === key)) key = `osticket_${int(s.id)}`
      this.statusOf.set(int(s.id), { key, category })
      this.count('status', 'new')
      if (!trx) return
      await trx
        .insertInto('ticket_statuses')
        // osTicket's own order of its statuses (its `sort`) becomes the admin's order within the category.
        .values({ key, name: storable(name, 60), category, position: int(s.sort) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute()
      ours.push({ key, name, category, position: int(s.sort) })
    })
  }

  private async fields() {
    const forms = await this.src.optional('form', 'select * from {form}')
    const fields = await this.src.optional(
      'form_field',
      'select * from {form_field} order by form_id, sort, id',
    )
    const formType = new Map(forms.map((f) => [int(f.id), str(f.type)]))
    const wanted = fields.filter((f) => {
      const type = formType.get(int(f.form_id))
      return (type === 'T' && !TICKET_OWN_FIELDS.has(str(f.name))) || type === 'G'
    })
    const elsewhere = fields
      .filter((f) => ['U', 'C', 'O'].includes(formType.get(int(f.form_id)) ?? ''))
      .filter((f) => !['email', 'name'].includes(str(f.name)))
    if (elsewhere.length > 0)
      this.report.notes.push(
        `Contact and organisation form fields (${[...new Set(elsewhere.map((f) => str(f.name) || str(f.label)))].join(', ')}) have no place here: their answers are not imported.`,
      )
    const existing = await this.db.writer.selectFrom('custom_fields').select(['id', 'key']).execute()
    await this.phase('custom fields', wanted, async (trx, f) => {
      const type = FIELD_TYPES[str(f.type)]
      if (!type) {
        if (!['break', 'info', 'thread', 'files'].includes(str(f.type)))
          this.problem(
            'custom_field',
            f.id,
            `"${str(f.label)}": osTicket field type ${str(f.type)} has no match here`,
          )
        return
      }
      const config = JSON.parse(str(f.configuration) || '{}') as Record<string, unknown>
      const choices = new Map<string, string>()
      for (const line of str(config.choices).split(/\r?\n/)) {
        if (!line.trim()) continue
        const [k, ...label] = line.split(':')
        choices.set(k!.trim(), (label.length > 0 ? label.join(':') : k!).trim())
      }
      let key = slug(str(f.name) || str(f.label))
      const mine = this.mapped('custom_field', f.id)
      // A field of ours with that key that the import did not make: the imported one gets the osTicket id too.
      const ours = new Set([...(this.map.get('custom_field')?.values() ?? [])].map((m) => m.target))
      if (!mine && existing.some((e) => e.key === key && !ours.has(e.id))) key = `${key}_${int(f.id)}`
      if (mine) key = existing.find((e) => e.id === mine.target)?.key ?? key
      this.fieldOf.set(int(f.id), { key, type, choices })
      const flags = int(f.flags)
      const values = {
        key,
        label: storable(str(f.label), 100) || key,
        type,
        options: JSON.stringify([...choices.values()]),
        // osTicket: 0x100 visible to clients, 0x200 editable by clients, 0x1000 required for agents.
        client_visible: flags & 0x100 ? 1 : 0,
        client_editable: flags & 0x200 ? 1 : 0,
        required_on_create: 0,
        position: int(f.sort),
        is_active: 1,
      }
      const sum = checksum(f)
      const state = this.classify('custom_field', f.id, sum)
      if (!trx || state === 'unchanged') return
      let target = mine?.target
      if (target !== undefined)
        await trx.updateTable('custom_fields').set(values).where('id', '=', target).execute()
      else {
        target = (
          await trx
            .insertInto('custom_fields')
            .values({ ...values, created_at: when(f.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
        existing.push({ id: target, key })
      }
      await this.saveMap(trx, 'custom_field', f.id, target, sum)
    })
  }

  private async topics() {
    const topics = await this.src.optional('help_topic', 'select * from {help_topic} order by topic_id')
    const forms = await this.src.optional('help_topic_form', 'select * from {help_topic_form} order by sort')
    const formFields = await this.src.optional(
      'form_field',
      'select id, form_id from {form_field} order by sort, id',
    )
    const byId = new Map(topics.map((t) => [int(t.topic_id), t]))
    const fullName = (t: Row): string => {
      const parent = byId.get(int(t.topic_pid))
      return parent && parent !== t ? `${fullName(parent)} / ${str(t.topic)}` : str(t.topic)
    }
    await this.phase('help topics', topics, async (trx, t) => {
      const keys: string[] = []
      for (const hf of forms.filter((x) => int(x.topic_id) === int(t.topic_id)))
        for (const ff of formFields.filter((x) => int(x.form_id) === int(hf.form_id))) {
          const f = this.fieldOf.get(int(ff.id))
          if (f && !keys.includes(f.key)) keys.push(f.key)
        }
      const values = {
        name: storable(fullName(t), 100),
        is_public: int(t.ispublic) ? 1 : 0,
        // osTicket: flags 0x2 active (0x1 archived).
        is_active: int(t.flags) & 2 ? 1 : 0,
        department_id: this.target('department', t.dept_id),
        priority: int(t.priority_id) ? this.priority(t.priority_id) : null,
        sla_plan_id: this.target('sla_plan', t.sla_id),
        fields: JSON.stringify(keys),
        position: int(t.sort),
      }
      const sum = checksum(values)
      const state = this.classify('help_topic', t.topic_id, sum)
      if (!trx || state === 'unchanged') return
      let target = this.mapped('help_topic', t.topic_id)?.target
      if (target !== undefined)
        await trx.updateTable('help_topics').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('help_topics')
            .values({ ...values, created_at: when(t.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'help_topic', t.topic_id, target, sum)
    })
  }

  private async canned() {
    const rows = await this.src.optional(
      'canned_response',
      'select * from {canned_response} order by canned_id',
    )
    const files = await this.src.optional(
      'attachment',
      "select count(*) as n from {attachment} where type = 'C'",
    )
    this.cannedFiles = int(files[0]?.n)
    await this.phase('canned responses', rows, async (trx, c) => {
      const body = convert(str(c.response), { wordwrap: false }).trim()
      const values = {
        title: storable(str(c.title), 200),
        body: storable(body, BODY_MAX),
        department_id: this.target('department', c.dept_id),
      }
      const sum = checksum(values)
      const state = this.classify('canned_response', c.canned_id, sum)
      if (!trx || state === 'unchanged') return
      let target = this.mapped('canned_response', c.canned_id)?.target
      if (target !== undefined)
        await trx.updateTable('canned_responses').set(values).where('id', '=', target).execute()
      else
        target = (
          await trx
            .insertInto('canned_responses')
            .values({ ...values, created_at: when(c.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'canned_response', c.canned_id, target, sum)
    })
    if (rows.some((c) => /%\{/.test(str(c.response))))
      this.report.notes.push(
        'Canned responses keep osTicket’s %{…} variables as written; replace them with {{…}}.',
      )
  }

  private async filters() {
    const filters = await this.src.optional('filter', 'select * from {filter} order by execorder, id')
    const rules = await this.src.optional('filter_rule', 'select * from {filter_rule}')
    const actions = await this.src.optional('filter_action', 'select * from {filter_action} order by sort')
    await this.phase('filters', filters, async (trx, f) => {
      const name = str(f.name)
      const why: string[] = []
      const conditions: { field: string; op: string; value: string }[] = []
      for (const r of rules.filter((r) => int(r.filter_id) === int(f.id) && int(r.isactive))) {
        const field = RULE_FIELDS[str(r.what)]
        const op = RULE_OPS[str(r.how)]
        if (!field || !op) why.push(`condition "${str(r.what)} ${str(r.how)} ${str(r.val)}"`)
        else conditions.push({ field, op, value: str(r.val) })
      }
      const target = str(f.target).toLowerCase()
      let matchAll = int(f.match_all_rules) === 1
      if (target && target !== 'any') {
        // The channel must hold besides the conditions: expressible when they all must hold, or there is one.
        if (!['email', 'api', 'web'].includes(target)) why.push(`target ${str(f.target)}`)
        else if (!matchAll && conditions.length > 1)
          why.push(`target ${str(f.target)} with "any" of its conditions`)
        else {
          conditions.push({ field: 'channel', op: 'equals', value: target })
          matchAll = true
        }
      }
      const out: { type: string; value: string | number | null }[] = []
      for (const a of actions.filter((a) => int(a.filter_id) === int(f.id))) {
        const c = JSON.parse(str(a.configuration) || '{}') as Record<string, unknown>
        const t = str(a.type)
        // A dry run has written nothing to point at: any id the source has stands for its row.
        const mappedId = (kind: string, v: unknown) =>
          this.target(kind, v) ?? (this.dry && int(v) > 0 ? -1 : null)
        if (t === 'reject') out.push({ type: 'reject', value: null })
        else if (t === 'pri' && c.priority)
          out.push({ type: 'set_priority', value: this.priority(c.priority) })
        else if (t === 'dept' && mappedId('department', c.dept_id) !== null)
          out.push({ type: 'set_department', value: mappedId('department', c.dept_id) })
        else if (t === 'team' && mappedId('team', c.team_id) !== null)
          out.push({ type: 'set_team', value: mappedId('team', c.team_id) })
        else if (t === 'sla' && mappedId('sla_plan', c.sla_id) !== null)
          out.push({ type: 'set_sla_plan', value: mappedId('sla_plan', c.sla_id) })
        else if (t === 'canned' && mappedId('canned_response', c.canned_id) !== null)
          out.push({ type: 'send_canned_reply', value: mappedId('canned_response', c.canned_id) })
        else if (t === 'status' && this.statusOf.has(int(c.status_id)))
          out.push({ type: 'set_status', value: this.statusOf.get(int(c.status_id))!.key })
        else why.push(`action ${t} ${str(a.configuration)}`)
      }
      if (conditions.length === 0 || out.length === 0 || why.length > 0) {
        this.problem(
          'filter',
          name,
          `not expressible as a rule (${why.length > 0 ? why.join('; ') : 'no conditions or no actions'}); set it up by hand`,
        )
        return
      }
      const values = {
        name: storable(name, 100),
        event: 'ticket.created' as const,
        conditions: JSON.stringify(conditions),
        match: matchAll ? ('all' as const) : ('any' as const),
        actions: JSON.stringify(out),
        position: int(f.execorder),
        stop_processing: int(f.stop_onmatch) ? 1 : 0,
        is_active: int(f.isactive) ? 1 : 0,
      }
      const sum = checksum(values)
      const state = this.classify('filter', f.id, sum)
      if (!trx || state === 'unchanged') return
      let id = this.mapped('filter', f.id)?.target
      if (id !== undefined) await trx.updateTable('rules').set(values).where('id', '=', id).execute()
      else
        id = (
          await trx
            .insertInto('rules')
            .values({ ...values, created_at: when(f.created) ?? this.now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      await this.saveMap(trx, 'filter', f.id, id, sum)
    })
  }

  /** The author of osTicket's system entries and of the notes the import writes (an inactive agent). */
  private async systemAgent() {
    if (this.dry) return
    const email = 'osticket-import@switchboard.invalid'
    const found = await this.db.writer
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst()
    this.systemAgentId =
      found?.id ??
      (await this.db.transact(
        async (trx) =>
          (
            await trx
              .insertInto('users')
              .values({
                type: 'agent',
                name: 'osTicket (imported)',
                email,
                is_active: 0,
                created_at: this.now,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
      ))
  }

  // ---- tickets ---------------------------------------------------------------------------------------------

  private async tickets() {
    const [first] = await this.src.rows<{ n: number }>('select count(*) as n from {ticket}')
    const n = first?.n ?? 0
    this.progress.phase('tickets', Number(n))
    const hasTask = this.src.has('task')
    let last = 0
    let done = 0
    for (;;) {
      const tickets = await this.src.rows(
        `select t.*, c.subject as cdata_subject, c.priority as cdata_priority
           from {ticket} t left join {ticket__cdata} c on c.ticket_id = t.ticket_id
          where t.ticket_id > ? order by t.ticket_id limit ?`,
        [last, this.batchSize],
      )
      if (tickets.length === 0) break
      last = int(tickets.at(-1)!.ticket_id)
      await this.ticketBatch(tickets, hasTask)
      done += tickets.length
      this.progress.tick(done)
    }
    this.progress.end()
    if (!this.dry && this.maxNumber > 0)
      await advanceTicketNumbers(this.db.dialect, this.db.writer, this.maxNumber)
  }

  private async ticketBatch(tickets: Row[], hasTask: boolean) {
    const ids = tickets.map((t) => int(t.ticket_id))
    const src = this.src
    const threads = await src.rows(
      `select id, object_id, object_type from {thread} where object_type in ('T', 'C') and object_id in (?)`,
      [ids],
    )
    const threadIds = threads.map((t) => int(t.id))
    const ticketOfThread = new Map(threads.map((t) => [int(t.id), int(t.object_id)]))
    const none = [0]
    const tids = threadIds.length > 0 ? threadIds : none
    const [entries, events, collabs, referrals, answers] = await Promise.all([
      src.rows('select * from {thread_entry} where thread_id in (?) order by id', [tids]),
      src.has('thread_event', 'event_id')
        ? src.rows(
            'select te.*, e.name as event_name from {thread_event} te left join {event} e on e.id = te.event_id where te.thread_id in (?) order by te.id',
            [tids],
          )
        : src.optional(
            'thread_event',
            'select te.*, te.state as event_name from {thread_event} te where te.thread_id in (?) order by te.id',
            [tids],
          ),
      src.optional('thread_collaborator', 'select * from {thread_collaborator} where thread_id in (?)', [
        tids,
      ]),
      src.optional('thread_referral', 'select * from {thread_referral} where thread_id in (?)', [tids]),
      src.optional(
        'form_entry_values',
        `select e.object_id, v.field_id, v.value, v.value_id from {form_entry} e
           join {form_entry_values} v on v.entry_id = e.id where e.object_type = 'T' and e.object_id in (?)`,
        [ids],
      ),
    ])
    const entryIds = entries.map((e) => int(e.id))
    const eids = entryIds.length > 0 ? entryIds : none
    const [mails, attachments, tasks, parents] = await Promise.all([
      src.optional('thread_entry_email', 'select * from {thread_entry_email} where thread_entry_id in (?)', [
        eids,
      ]),
      src.optional(
        'attachment',
        `select a.id, a.object_id, a.type, a.file_id, a.name, a.inline, f.type as content_type, f.size, f.name as file_name, f.bk
           from {attachment} a join {file} f on f.id = a.file_id
          where (a.type = 'H' and a.object_id in (?)) or (a.type = 'T' and a.object_id in (?)) order by a.id`,
        [eids, ids],
      ),
      hasTask
        ? src.rows(
            `select k.*, c.title from {task} k left join {task__cdata} c on c.task_id = k.id
              where k.object_type = 'T' and k.object_id in (?)`,
            [ids],
          )
        : Promise.resolve([] as Row[]),
      (() => {
        const pids = tickets.map((t) => int(t.ticket_pid)).filter((p) => p > 0)
        return pids.length > 0
          ? src.rows('select ticket_id, number from {ticket} where ticket_id in (?)', [pids])
          : Promise.resolve([] as Row[])
      })(),
    ])
    const numberOf = new Map(parents.map((p) => [int(p.ticket_id), str(p.number)]))
    for (const t of tickets) numberOf.set(int(t.ticket_id), str(t.number))

    const group = <K>(rows: Row[], key: (r: Row) => K) => {
      const m = new Map<K, Row[]>()
      for (const r of rows) {
        const k = key(r)
        const list = m.get(k)
        if (list) list.push(r)
        else m.set(k, [r])
      }
      return m
    }
    const byTicket = (r: Row) => ticketOfThread.get(int(r.thread_id)) ?? 0
    const entriesOf = group(entries, byTicket)
    const eventsOf = group(events, byTicket)
    const collabsOf = group(collabs, byTicket)
    const referralsOf = group(referrals, byTicket)
    const answersOf = group(answers, (r) => int(r.object_id))
    const mailOf = new Map(mails.map((m) => [int(m.thread_entry_id), m]))
    const filesOfEntry = group(
      attachments.filter((a) => str(a.type) === 'H'),
      (a) => int(a.object_id),
    )
    const filesOfTicket = group(
      attachments.filter((a) => str(a.type) === 'T'),
      (a) => int(a.object_id),
    )
    const tasksOf = group(tasks, (k) => int(k.object_id))

    // Task threads (object type A) become part of the note that records the task.
    const taskEntries =
      tasks.length > 0
        ? await src.rows(
            `select th.object_id as task_id, e.* from {thread} th join {thread_entry} e on e.thread_id = th.id
              where th.object_type = 'A' and th.object_id in (?) order by e.id`,
            [tasks.map((k) => int(k.id))],
          )
        : []
    const taskEntriesOf = group(taskEntries, (e) => int(e.task_id))

    // Decide, per ticket, what to write (dry run: only count).
    type Plan = { t: Row; state: 'new' | 'changed'; sum: string }
    const plans: Plan[] = []
    for (const t of tickets) {
      const id = int(t.ticket_id)
      const sum = checksum([
        t,
        answersOf.get(id) ?? [],
        (entriesOf.get(id) ?? []).map((e) => [e.id, e.updated]),
        (eventsOf.get(id) ?? []).length,
        collabsOf.get(id) ?? [],
        referralsOf.get(id) ?? [],
        tasksOf.get(id) ?? [],
      ])
      const state = this.classify('ticket', id, sum)
      if (state === 'unchanged') continue
      if (this.dry ? !this.userEmail.has(int(t.user_id)) : this.target('user', t.user_id) === null) {
        this.count('ticket', state, -1)
        this.problem('ticket', t.number, `its requester (osTicket user ${int(t.user_id)}) was not imported`)
        continue
      }
      plans.push({ t, state, sum })
    }
    if (this.dry) {
      for (const p of plans) {
        const id = int(p.t.ticket_id)
        for (const e of entriesOf.get(id) ?? []) this.classify('entry', e.id, checksum(e))
        for (const e of eventsOf.get(id) ?? []) this.classify('event', e.id, 'e')
        for (const a of [
          ...(filesOfTicket.get(id) ?? []),
          ...(entriesOf.get(id) ?? []).flatMap((e) => filesOfEntry.get(int(e.id)) ?? []),
        ])
          this.classify('attachment', a.id, 'a')
      }
      return
    }
    if (plans.length === 0) return

    // File contents for the attachments of the tickets being written.
    const wanted = new Set<number>()
    for (const p of plans) {
      const id = int(p.t.ticket_id)
      for (const a of filesOfTicket.get(id) ?? []) wanted.add(int(a.file_id))
      for (const e of entriesOf.get(id) ?? [])
        for (const a of filesOfEntry.get(int(e.id)) ?? []) wanted.add(int(a.file_id))
    }
    const content = new Map<number, Buffer[]>()
    const fileIds = [...wanted]
    for (let i = 0; i < fileIds.length; i += 50) {
      const chunks = await src.rows(
        'select file_id, chunk_id, filedata from {file_chunk} where file_id in (?) order by file_id, chunk_id',
        [fileIds.slice(i, i + 50)],
      )
      for (const c of chunks) {
        const list = content.get(int(c.file_id)) ?? []
        list.push(Buffer.from(c.filedata as Buffer))
        content.set(int(c.file_id), list)
      }
    }

    // Sanitising and converting HTML is the costly part: done before the transaction, not while holding the lock.
    const prepared = new Map<number, { html: string | null; body: string }>()
    for (const p of plans)
      for (const e of entriesOf.get(int(p.t.ticket_id)) ?? []) prepared.set(int(e.id), prepareBody(e))
    const writeStarted = performance.now()
    await this.db.transact(async (trx) => {
      const search: SearchRow[] = []
      const newIds = await this.reserveIds(trx, 'tickets', plans.filter((p) => p.state === 'new').length)
      const ticketRows: unknown[][] = []
      const entryRows: unknown[][] = []
      const eventRows: unknown[][] = []
      const mapRows: unknown[][] = []
      const pendingEntries: { ticketId: number; requester: number; e: Row; sum: string }[] = []
      for (const p of plans) {
        const t = p.t
        const id = int(t.ticket_id)
        const values = await this.ticketValues(trx, t, answersOf.get(id) ?? [])
        let ticketId: number
        if (p.state === 'changed') {
          ticketId = this.mapped('ticket', id)!.target
          const { number: _n, ...rest } = values
          void _n
          await trx.updateTable('tickets').set(rest).where('id', '=', ticketId).execute()
          await trx
            .updateTable('import_map')
            .set({ checksum: p.sum, imported_at: this.now })
            .where('source', '=', SOURCE)
            .where('kind', '=', 'ticket')
            .where('source_id', '=', String(id))
            .execute()
          this.remember('ticket', id, ticketId, p.sum)
        } else {
          ticketId = newIds.shift()!
          ticketRows.push([
            ticketId,
            values.number,
            values.subject,
            values.department_id,
            values.assignee_agent_id,
            values.assignee_team_id,
            values.requester_id,
            values.priority,
            values.status,
            values.source,
            values.created_at,
            values.updated_at,
            values.closed_at,
            values.last_activity_at,
            values.topic_id,
            values.sla_plan_id,
            values.sla_resolution_due_at,
            values.custom_fields,
          ])
          search.push({ ticketId, entryId: null, content: values.subject, internal: false })
          mapRows.push([SOURCE, 'ticket', String(id), ticketId, p.sum, this.now])
          this.remember('ticket', id, ticketId, p.sum)
        }
        for (const e of entriesOf.get(id) ?? [])
          pendingEntries.push({ ticketId, requester: values.requester_id, e, sum: checksum(e) })
        // Events are never edited in osTicket: only new ones.
        for (const ev of eventsOf.get(id) ?? []) {
          if (this.mapped('event', ev.id)) {
            this.count('event', 'unchanged')
            continue
          }
          const name = str(ev.event_name) || 'event'
          const actor =
            this.target('agent', ev.staff_id) ??
            (str(ev.uid_type) === 'U' ? this.target('user', ev.uid) : null)
          const data = str(ev.data) ? (JSON.parse(str(ev.data)) as unknown) : null
          eventRows.push([
            ticketId,
            actor,
            `osticket.${name}`,
            'system',
            JSON.stringify({
              ...(data && typeof data === 'object' ? { data } : {}),
              by: str(ev.username) || null,
              ...(int(ev.dept_id) ? { department: this.departmentNames.get(int(ev.dept_id)) ?? null } : {}),
              ...(int(ev.team_id) ? { team: this.teamNames.get(int(ev.team_id)) ?? null } : {}),
              ...(int(ev.staff_id) ? { agent: this.staffNames.get(int(ev.staff_id)) ?? null } : {}),
            }),
            when(ev.timestamp) ?? this.now,
            `event:${int(ev.id)}`,
          ])
          this.count('event', 'new')
        }
      }
      await bulkInsert(this.db.dialect, trx, 'tickets', TICKET_COLUMNS, ticketRows)

      // Entries: new ones in bulk with reserved ids; changed ones updated.
      const fresh = pendingEntries.filter((p) => !this.mapped('entry', p.e.id))
      const entryIdsNew = await this.reserveIds(trx, 'thread_entries', fresh.length)
      const entryEmails: {
        entryId: number
        ticketId: number
        messageId: string | null
        from: string
        html: string | null
        at: number
      }[] = []
      const attachmentRows: { entryId: number; ticketId: number; a: Row; at: number }[] = []
      for (const p of pendingEntries) {
        const e = p.e
        const m = this.mapped('entry', e.id)
        if (m && m.checksum === p.sum) {
          this.count('entry', 'unchanged')
          continue
        }
        const kind = str(e.type) === 'R' ? 'response' : str(e.type) === 'N' ? 'note' : 'message'
        const author =
          kind === 'message'
            ? (this.target('user', e.user_id) ?? this.target('agent', e.staff_id) ?? p.requester)
            : (this.target('agent', e.staff_id) ?? this.systemAgentId!)
        const { html, body } = prepared.get(int(e.id)) ?? prepareBody(e)
        const at = when(e.created) ?? this.now
        const mail = mailOf.get(int(e.id))
        const mid = str(mail?.mid)
        if (m) {
          await trx.updateTable('thread_entries').set({ body, kind }).where('id', '=', m.target).execute()
          if (html !== null)
            await trx.updateTable('entry_email').set({ html }).where('entry_id', '=', m.target).execute()
          await trx
            .updateTable('import_map')
            .set({ checksum: p.sum })
            .where('source', '=', SOURCE)
            .where('kind', '=', 'entry')
            .where('source_id', '=', String(int(e.id)))
            .execute()
          this.remember('entry', e.id, m.target, p.sum)
          this.count('entry', 'changed')
          continue
        }
        const entryId = entryIdsNew.shift()!
        entryRows.push([entryId, p.ticketId, kind, body, author, at])
        mapRows.push([SOURCE, 'entry', String(int(e.id)), entryId, p.sum, this.now])
        this.remember('entry', e.id, entryId, p.sum)
        this.count('entry', 'new')
        search.push({ ticketId: p.ticketId, entryId, content: body, internal: kind === 'note' })
        if (mid || html !== null)
          entryEmails.push({
            entryId,
            ticketId: p.ticketId,
            messageId: mid || null,
            from:
              kind === 'message'
                ? (this.userEmail.get(int(e.user_id)) ?? '')
                : (this.staffEmail.get(int(e.staff_id)) ?? ''),
            html,
            at,
          })
        for (const a of filesOfEntry.get(int(e.id)) ?? [])
          attachmentRows.push({ entryId, ticketId: p.ticketId, a, at })
      }
      await bulkInsert(this.db.dialect, trx, 'thread_entries', ENTRY_COLUMNS, entryRows)

      for (const x of entryEmails) {
        let messageId = x.messageId
        if (messageId) {
          const stored = await trx
            .insertInto('mail_message_ids')
            .values({ message_id: messageId, ticket_id: x.ticketId, entry_id: x.entryId, created_at: x.at })
            .onConflict((oc) => oc.column('message_id').doNothing())
            .executeTakeFirst()
          if (Number(stored.numInsertedOrUpdatedRows ?? 0n) === 0) {
            this.report.problems.push({
              kind: 'message_id',
              sourceId: messageId,
              reason: 'already known here (kept on its first ticket)',
            })
            messageId = null
          }
        }
        if (x.html === null && messageId === null) continue
        await trx
          .insertInto('entry_email')
          .values({
            entry_id: x.entryId,
            message_id: messageId ?? `<osticket.entry.${x.entryId}@import.invalid>`,
            from_address: x.from,
            html: x.html,
            auto_reply: 0,
            sender_verified: null,
          })
          .execute()
      }

      // Attachments on the ticket itself (osTicket's inline images of the first message) go on its first entry.
      for (const p of plans) {
        const id = int(p.t.ticket_id)
        const own = filesOfTicket.get(id) ?? []
        if (own.length === 0) continue
        const first = (entriesOf.get(id) ?? [])[0]
        let entryId = first ? this.target('entry', first.id) : null
        const ticketId = this.target('ticket', id)!
        const at = when(p.t.created) ?? this.now
        if (entryId === null) {
          // A merged ticket's thread went to its parent: its own files are kept on a note.
          const key = `files:${id}`
          entryId = this.target('note', key)
          if (entryId === null) {
            const body = 'Imported from osTicket: files attached to this ticket.'
            entryId = (
              await trx
                .insertInto('thread_entries')
                .values({
                  ticket_id: ticketId,
                  kind: 'note',
                  body,
                  author_id: this.systemAgentId!,
                  created_at: at,
                })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id
            mapRows.push([SOURCE, 'note', key, entryId, 'n', this.now])
            this.remember('note', key, entryId, 'n')
          }
        }
        for (const a of own) attachmentRows.push({ entryId, ticketId, a, at })
      }
      for (const { entryId, ticketId, a, at } of attachmentRows) {
        if (this.mapped('attachment', a.id)) {
          this.count('attachment', 'unchanged')
          continue
        }
        const chunks = content.get(int(a.file_id))
        if (!chunks) {
          this.problem(
            'attachment',
            a.id,
            `file ${int(a.file_id)} is not stored in the database (backend ${str(a.bk)}); copy it by hand`,
          )
          continue
        }
        const data = Buffer.concat(chunks)
        const sha256 = await storeBuffer(this.store, trx, data, at)
        const row = await trx
          .insertInto('entry_attachments')
          .values({
            entry_id: entryId,
            ticket_id: ticketId,
            filename: storable(str(a.name) || str(a.file_name) || `attachment-${int(a.id)}`, 255),
            content_type: str(a.content_type) || 'application/octet-stream',
            size: data.length,
            sha256,
            content_id: null,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        mapRows.push([
          SOURCE,
          'attachment',
          String(int(a.id)),
          row.id,
          int(a.inline) ? 'inline' : 'file',
          this.now,
        ])
        this.remember('attachment', a.id, row.id, 'file')
        this.count('attachment', 'new')
      }

      // Events: the osTicket id goes in the map; bulk insert with reserved ids.
      const eventIds = await this.reserveIds(trx, 'events', eventRows.length)
      const evRows = eventRows.map((r, i) => {
        const id = eventIds[i]!
        const key = String(r[6]).slice('event:'.length)
        mapRows.push([SOURCE, 'event', key, id, 'e', this.now])
        this.remember('event', key, id, 'e')
        return [id, ...r.slice(0, 6)]
      })
      await bulkInsert(this.db.dialect, trx, 'events', EVENT_COLUMNS, evRows)

      // Collaborators, referrals (as followers), merges, links and tasks (as notes).
      for (const p of plans) {
        const id = int(p.t.ticket_id)
        const ticketId = this.target('ticket', id)!
        const requester = this.target('user', p.t.user_id)
        for (const c of collabsOf.get(id) ?? []) {
          const user = this.target('user', c.user_id)
          if (user === null || user === requester) continue
          const r = await trx
            .insertInto('ticket_collaborators')
            .values({ ticket_id: ticketId, user_id: user, created_at: when(c.created) ?? this.now })
            .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing())
            .executeTakeFirst()
          if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) this.count('collaborator', 'new')
        }
        for (const r of referralsOf.get(id) ?? []) {
          const type = str(r.object_type)
          const agents =
            type === 'S'
              ? [this.target('agent', r.object_id)]
              : type === 'E' || type === 'T'
                ? (this.teamMembers.get(int(r.object_id)) ?? []).map((s) => this.target('agent', s))
                : []
          if (type === 'D') {
            this.count('referral_department', 'new')
            continue
          }
          for (const agent of agents) {
            if (agent === null) continue
            const res = await trx
              .insertInto('ticket_followers')
              .values({ ticket_id: ticketId, agent_id: agent, created_at: when(r.created) ?? this.now })
              .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doNothing())
              .executeTakeFirst()
            if (Number(res.numInsertedOrUpdatedRows ?? 0n) > 0) this.count('follower', 'new')
          }
        }
        const notes: { key: string; body: string; at: number }[] = []
        const pid = int(p.t.ticket_pid)
        if (pid > 0) {
          const linked = (int(p.t.flags) & 8) !== 0
          notes.push({
            key: `${linked ? 'link' : 'merge'}:${id}`,
            body: linked
              ? `Imported from osTicket: this ticket is linked to #${numberOf.get(pid) ?? pid}.`
              : `Imported from osTicket: this ticket was merged into #${numberOf.get(pid) ?? pid}.`,
            at: when(p.t.updated) ?? this.now,
          })
          this.count(linked ? 'link' : 'merge', 'new')
        }
        for (const k of tasksOf.get(id) ?? []) {
          const lines = (taskEntriesOf.get(int(k.id)) ?? []).map(
            (e) =>
              `— ${str(e.poster) || 'osTicket'}, ${str(e.created)}:\n${convert(str(e.body), { wordwrap: false })}`,
          )
          const assignee = this.staffNames.get(int(k.staff_id)) ?? this.teamNames.get(int(k.team_id))
          notes.push({
            key: `task:${int(k.id)}`,
            body: [
              `Imported from osTicket: task ${str(k.number)} “${str(k.title)}”, ${k.closed ? `closed ${str(k.closed)}` : 'open'}` +
                `, department ${this.departmentNames.get(int(k.dept_id)) ?? '-'}${assignee ? `, assigned to ${assignee}` : ''}` +
                `${k.duedate ? `, due ${str(k.duedate)}` : ''}.`,
              ...lines,
            ].join('\n\n'),
            at: when(k.created) ?? this.now,
          })
          this.count('task', this.mapped('note', `task:${int(k.id)}`) ? 'unchanged' : 'new')
        }
        for (const n of notes) {
          if (this.mapped('note', n.key)) continue
          const row = await trx
            .insertInto('thread_entries')
            .values({
              ticket_id: ticketId,
              kind: 'note',
              body: n.body,
              author_id: this.systemAgentId!,
              created_at: n.at,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          search.push({ ticketId, entryId: row.id, content: n.body, internal: true })
          mapRows.push([SOURCE, 'note', n.key, row.id, 'n', this.now])
          this.remember('note', n.key, row.id, 'n')
        }
      }
      await bulkInsert(this.db.dialect, trx, 'import_map', MAP_COLUMNS, mapRows)
      await this.db.indexForSearch(trx, search)
    })
    this.longestBatchMs = Math.max(this.longestBatchMs, performance.now() - writeStarted)
  }

  private async ticketValues(trx: Kysely<DB>, t: Row, answers: Row[]) {
    const id = int(t.ticket_id)
    let number = str(t.number) || String(id)
    if (!this.mapped('ticket', id)) {
      const taken = await trx
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', number)
        .executeTakeFirst()
      if (taken) {
        const next = await nextTicketNumber(this.db.dialect, trx)
        this.report.problems.push({
          kind: 'ticket_number',
          sourceId: number,
          reason: `taken here already; imported as #${next}`,
        })
        number = next
      }
    }
    if (/^\d{1,15}$/.test(number)) this.maxNumber = Math.max(this.maxNumber, Number(number))
    const status = this.statusOf.get(int(t.status_id)) ?? { key: 'open', category: 'open' as StatusCategory }
    const fields: Record<string, unknown> = {}
    let priorityId: unknown = t.cdata_priority
    for (const a of answers) {
      const f = this.fieldOf.get(int(a.field_id))
      const value = a.value === null ? null : str(a.value)
      if (value === null || value === '') continue
      if (!f) continue
      if (f.type === 'select') {
        let key = value
        try {
          const parsed = JSON.parse(value) as unknown
          if (parsed && typeof parsed === 'object') key = Object.keys(parsed)[0] ?? value
        } catch {
          /* a plain value */
        }
        fields[f.key] = f.choices.get(key) ?? key
      } else if (f.type === 'date') {
        // "2024-01-16 00:00:00 UTC" (1.18), or epoch seconds (older versions).
        const day = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1]
        const d = day ? new Date(`${day}T00:00:00Z`) : new Date(Number(value) * 1000)
        if (!Number.isNaN(d.getTime())) fields[f.key] = d.toISOString().slice(0, 10)
      } else if (f.type === 'checkbox') fields[f.key] = value === '1' || value === 'true'
      else fields[f.key] = value
    }
    priorityId ??= answers.find((a) => a.value_id !== null && this.priorityOf.has(int(a.value_id)))?.value_id
    const departmentId = this.target('department', t.dept_id) ?? this.defaultDepartmentId!
    const created = when(t.created) ?? this.now
    const updated = when(t.updated) ?? created
    const lastActivity = when(t.lastupdate) ?? updated
    return {
      number,
      subject: storable(str(t.cdata_subject) || `(osTicket #${number})`, SUBJECT_MAX),
      department_id: departmentId,
      assignee_agent_id: this.target('agent', t.staff_id),
      assignee_team_id: this.target('team', t.team_id),
      requester_id: this.target('user', t.user_id)!,
      priority: this.priority(priorityId),
      status: status.key,
      source: SOURCES[str(t.source).toLowerCase()] ?? 'agent',
      created_at: created,
      updated_at: Math.max(updated, lastActivity),
      closed_at: status.category === 'open' ? null : (when(t.closed) ?? updated),
      last_activity_at: lastActivity,
      topic_id: this.target('help_topic', t.topic_id),
      sla_plan_id: this.target('sla_plan', t.sla_id),
      sla_resolution_due_at: status.category === 'open' ? (when(t.duedate) ?? when(t.est_duedate)) : null,
      custom_fields: JSON.stringify(fields),
    }
  }

  /** Ids for `n` new rows of `table`, inside the transaction (SQLite: one writer, so max(id) cannot race). */
  private async reserveIds(
    trx: Kysely<DB>,
    table: 'tickets' | 'thread_entries' | 'events',
    n: number,
  ): Promise<number[]> {
    if (n === 0) return []
    if (this.db.dialect === 'postgres') {
      const { rows } = await sql<{
        id: number
      }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::integer as id
        from generate_series(1, ${n})`.execute(trx)
      return rows.map((r) => r.id)
    }
    const { rows } = await sql<{
      id: number
    }>`select coalesce(max(id), 0) as id from ${sql.table(table)}`.execute(trx)
    const from = rows[0]!.id + 1
    return Array.from({ length: n }, (_, i) => from + i)
  }

  private notesAtEnd() {
    const n = this.report.notes
    n.push(
      'Tasks, merges and links are recorded as internal notes on their tickets (“Imported from osTicket: …”).',
      'Referrals to agents and teams became followers; referrals to departments are kept as events only.',
      'Thread events are kept as events of type osticket.<event> (agents get them with the ticket: GET /api/v1/tickets/:number).',
      'Priorities map by name (osTicket ids 1 = Low … 4 = Emergency); SLA grace periods became resolution targets.',
    )
    if (this.cannedFiles > 0)
      n.push(`Files attached to canned responses (${this.cannedFiles}) are not imported.`)
    if (this.report.counts.attachment?.new)
      n.push('Inline images come over as attachments of their entry; HTML bodies keep their cid: references.')
  }
}

const col = (name: string, type: BulkColumn['type']): BulkColumn => ({ name, type })
const TICKET_COLUMNS: BulkColumn[] = [
  col('id', 'integer'),
  col('number', 'text'),
  col('subject', 'text'),
  col('department_id', 'integer'),
  col('assignee_agent_id', 'integer'),
  col('assignee_team_id', 'integer'),
  col('requester_id', 'integer'),
  col('priority', 'text'),
  col('status', 'text'),
  col('source', 'text'),
  col('created_at', 'bigint'),
  col('updated_at', 'bigint'),
  col('closed_at', 'bigint'),
  col('last_activity_at', 'bigint'),
  col('topic_id', 'integer'),
  col('sla_plan_id', 'integer'),
  col('sla_resolution_due_at', 'bigint'),
  col('custom_fields', 'text'),
]
const ENTRY_COLUMNS: BulkColumn[] = [
  col('id', 'integer'),
  col('ticket_id', 'integer'),
  col('kind', 'text'),
  col('body', 'text'),
  col('author_id', 'integer'),
  col('created_at', 'bigint'),
]
const EVENT_COLUMNS: BulkColumn[] = [
  col('id', 'integer'),
  col('ticket_id', 'integer'),
  col('actor_id', 'integer'),
  col('type', 'text'),
  col('channel', 'text'),
  col('after', 'text'),
  col('created_at', 'bigint'),
]
const MAP_COLUMNS: BulkColumn[] = [
  col('source', 'text'),
  col('kind', 'text'),
  col('source_id', 'text'),
  col('target_id', 'integer'),
  col('checksum', 'text'),
  col('imported_at', 'bigint'),
]
