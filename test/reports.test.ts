// Reports on a known history with a fixed clock (issue 16): tickets opened, answered and resolved at chosen
// business and non-business times across a weekend, under the demo's Standard plan (Monday to Friday
// 08:00–17:00 in London, which is UTC in December). Every figure is asserted exactly, medians and 90th
// percentiles included; then the access scope of reports and the export, and CSV injection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runReportFacts } from '../src/jobs/reportFacts.ts'
import { csvCell } from '../src/queries/ticketExport.ts'
import { nearestRankIndex } from '../src/domain/reportFacts.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const MIN = 60_000
const RANGE = 'from=2026-12-01T00:00:00Z&to=2026-12-15T00:00:00Z'

describe('nearest-rank percentiles', () => {
  it('takes the smallest value with at least p% at or below it', () => {
    expect(nearestRankIndex(4, 50)).toBe(1)
    expect(nearestRankIndex(4, 90)).toBe(3)
    expect(nearestRankIndex(3, 50)).toBe(1)
    expect(nearestRankIndex(10, 90)).toBe(8)
    expect(nearestRankIndex(1, 90)).toBe(0)
  })
})

describe('CSV cells', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`)
    expect(csvCell('+44 20 7946 0000')).toBe(`"'+44 20 7946 0000"`)
    expect(csvCell('-2+3')).toBe(`"'-2+3"`)
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`)
    expect(csvCell('\tcmd')).toBe(`"'\tcmd"`)
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`)
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe(`"'=HYPERLINK(""http://evil.test"",""x"")"`)
    expect(csvCell('plain, with comma')).toBe('"plain, with comma"')
    expect(csvCell('a = b')).toBe('a = b')
    expect(csvCell(null)).toBe('')
    expect(csvCell(42)).toBe('42')
  })
})

describe.each(DATABASES)('reports on %s', (kind) => {
  let t: TestServer
  let ken: Client
  let john: Client
  let sam: Client
  let admin: Client
  const clock = new FixedClock(Date.parse('2026-11-01T10:00:00Z'))
  const numbers: Record<string, string> = {}

  const at = (iso: string) => clock.set(iso)
  async function open(key: string, subject: string, when: string, as: Client = ken, extra = {}) {
    at(when)
    const res = await as.post('/api/v1/tickets', { subject, message: 'Please help.', ...extra })
    expect(res.status).toBe(201)
    numbers[key] = res.body.ticket.number
  }
  async function reply(key: string, when: string, as: Client = john) {
    at(when)
    const res = await as.post(`/api/v1/tickets/${numbers[key]}/messages`, { body: 'Here is the answer.' })
    expect(res.status).toBe(201)
  }
  async function patch(key: string, when: string, body: Record<string, unknown>, as: Client = john) {
    at(when)
    const current = await as.get(`/api/v1/tickets/${numbers[key]}`)
    const res = await as.patch(`/api/v1/tickets/${numbers[key]}`, {
      version: current.body.ticket.version,
      ...body,
    })
    expect(res.status).toBe(200)
  }
  async function report(as: Client, name: string, query = '') {
    const res = await as.get(`/api/v1/reports/${name}?${RANGE}${query}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }

  beforeAll(async () => {
    t = await startServer(kind, { clock })
    const anon = new Client(t.url)
    // Old and still open: only the backlog counts it.
    at('2026-11-01T10:00:00Z')
    ken = await anon.as('ken@example.com')
    await open('T6', '=HYPERLINK("http://evil.test","click")', '2026-11-01T10:00:00Z')
    at('2026-12-04T15:00:00Z')
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    sam = await anon.as('sam@example.com')
    admin = await anon.as('admin@example.com')
    const johnId = (await john.get('/api/v1/auth/me')).body.user.id as number
    const billing = (await sam.get('/api/v1/reports')).body.departments[0].id as number

    // Friday 16:00, answered Monday 09:00 (2 business hours), resolved Monday 10:00, reopened by the
    // customer on Tuesday 09:00 and resolved again at 10:00.
    await open('T1', 'Printer jammed', '2026-12-04T16:00:00Z')
    await patch('T1', '2026-12-07T09:00:00Z', { assigneeAgentId: johnId })
    await reply('T1', '2026-12-07T09:00:00Z')
    await patch('T1', '2026-12-07T10:00:00Z', { status: 'resolved' })
    await reply('T1', '2026-12-08T09:00:00Z', ken)
    await patch('T1', '2026-12-08T10:00:00Z', { status: 'resolved' })
    // Saturday 10:00, answered Saturday 11:00 (no business time), resolved Monday 08:30.
    await open('T3', 'VPN drops', '2026-12-05T10:00:00Z')
    await reply('T3', '2026-12-05T11:00:00Z')
    await patch('T3', '2026-12-07T08:30:00Z', { status: 'resolved' })
    // Monday 09:00, assigned at once, answered 09:30, resolved 12:00.
    await open('T2', 'Password reset', '2026-12-07T09:00:00Z')
    await patch('T2', '2026-12-07T09:00:00Z', { assigneeAgentId: johnId })
    await reply('T2', '2026-12-07T09:30:00Z')
    await patch('T2', '2026-12-07T12:00:00Z', { status: 'resolved' })
    // Tuesday 07:00 (before hours), answered 17:30 (after hours): 9 business hours, first response breached.
    await open('T4', 'Invoice missing', '2026-12-08T07:00:00Z')
    await reply('T4', '2026-12-08T17:30:00Z')
    // Wednesday 10:00, never answered: first response due 14:00, breached by now.
    await open('T5', 'Laptop broken', '2026-12-09T10:00:00Z')
    // Billing's, which John may not see and Sam may.
    await open('T7', '+Refund request', '2026-12-09T11:00:00Z', sam, {
      requester: { email: 'lena@example.com' },
      departmentId: billing,
    })
    at('2026-12-10T12:00:00Z')
    await runReportFacts(t.app, { settleMs: 0 })
  })
  afterAll(() => t.close())

  it('counts tickets created, answered, resolved and reopened, with median and p90 in both times', async () => {
    const body = await report(john, 'overview')
    expect(body.total.values).toEqual({
      created: 5,
      firstResponses: 4,
      resolved: 3,
      reopened: 1,
      // First responses: 30, 60, 630 and 3,900 minutes; in business hours 0, 30, 120 and 540.
      firstResponseMedianMs: 60 * MIN,
      firstResponseP90Ms: 3900 * MIN,
      firstResponseBusinessMedianMs: 30 * MIN,
      firstResponseBusinessP90Ms: 540 * MIN,
      // Resolutions (the last one of the reopened ticket): 180, 2,790 and 5,400 minutes; business 30, 180, 720.
      resolutionMedianMs: 2790 * MIN,
      resolutionP90Ms: 5400 * MIN,
      resolutionBusinessMedianMs: 180 * MIN,
      resolutionBusinessP90Ms: 720 * MIN,
    })
    expect(body.total.links.created).toEqual({
      statusCategory: ['open', 'pending', 'on_hold', 'resolved', 'closed'],
      createdFrom: '2026-12-01T00:00:00.000Z',
      createdTo: '2026-12-14T23:59:59.999Z',
    })
  })

  it('groups by day and by department, each row linking to its queue', async () => {
    const byDay = await report(john, 'overview', '&groupBy=day')
    expect(
      byDay.rows.map((r: { label: string; values: { created: number } }) => [r.label, r.values.created]),
    ).toEqual([
      ['2026-12-04', 1],
      ['2026-12-05', 1],
      ['2026-12-07', 1],
      ['2026-12-08', 1],
      ['2026-12-09', 1],
    ])
    const monday = byDay.rows.find((r: { label: string }) => r.label === '2026-12-07')
    // Monday: T2 created; T1's and T2's first responses and resolutions; T3's resolution.
    expect(monday.values).toMatchObject({ created: 1, firstResponses: 2, resolved: 2 })
    expect(monday.links.created).toMatchObject({
      createdFrom: '2026-12-07T00:00:00.000Z',
      createdTo: '2026-12-07T23:59:59.999Z',
    })
    const byDepartment = await report(john, 'overview', '&groupBy=department')
    expect(byDepartment.rows).toHaveLength(1)
    expect(byDepartment.rows[0]).toMatchObject({ label: 'Support', values: { created: 5 } })
    expect(byDepartment.rows[0].links.created.departmentId).toEqual([byDepartment.rows[0].key])
  })

  it('reports SLA targets met, breached and running', async () => {
    const body = await report(john, 'sla')
    expect(body.total.values).toEqual({
      tickets: 5,
      breachedTickets: 2,
      firstResponseMet: 3,
      firstResponseBreached: 2,
      firstResponseRunning: 0,
      nextResponseMet: 1,
      nextResponseBreached: 0,
      nextResponseRunning: 0,
      resolutionMet: 3,
      resolutionBreached: 1,
      resolutionRunning: 1,
    })
    expect(body.total.links.breachedTickets).toMatchObject({ sla: ['breached'] })
  })

  it('reports each agent’s assignments, replies, resolutions and handle time', async () => {
    const body = await report(john, 'agents')
    const johnRow = body.rows.find((r: { label: string }) => r.label === 'John Doe')
    expect(johnRow.values).toEqual({
      assigned: 2,
      replied: 4,
      replies: 4,
      resolved: 3,
      // T1: 1 h before it was resolved and 1 h after it came back; T2: 3 h; T3 was never assigned.
      handleMs: 5 * 60 * MIN,
      handleMedianMs: 2 * 60 * MIN,
      handleP90Ms: 3 * 60 * MIN,
    })
  })

  it('reports the backlog by age', async () => {
    const body = await report(john, 'backlog')
    expect(body.total.values).toEqual({
      under_1d: 0,
      '1_3d': 2,
      '3_7d': 0,
      '7_30d': 0,
      over_30d: 1,
      total: 3,
    })
    expect(body.total.links.over_30d).toEqual({
      statusCategory: ['open', 'pending', 'on_hold'],
      createdTo: '2026-11-10T12:00:00.000Z',
    })
  })

  it('applies the queue’s filters', async () => {
    const body = await report(john, 'overview', '&priority=high')
    expect(body.total.values.created).toBe(0)
    const assigned = await report(john, 'overview', '&assignee=me')
    expect(assigned.total.values).toMatchObject({ created: 2, resolved: 2 })
    const bad = await john.get(`/api/v1/reports/overview?from=2026-12-10&to=2026-12-01`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_range')
    expect((await john.get('/api/v1/reports/overview?groupBy=month')).status).toBe(400)
  })

  it('covers only the tickets the reader may see', async () => {
    const theirs = await report(sam, 'overview')
    expect(theirs.total.values).toMatchObject({ created: 1, firstResponses: 0 })
    // The admin holds no department role: like the detail view, their report shows nothing.
    expect((await report(admin, 'overview')).total.values.created).toBe(0)
    expect((await ken.get(`/api/v1/reports/overview?${RANGE}`)).status).toBe(403)
    expect((await new Client(t.url).get(`/api/v1/reports/overview?${RANGE}`)).status).toBe(401)
  })

  it('exports what the reader may see as CSV, neutralising formulas, and audits the export', async () => {
    const res = await john.get('/api/v1/reports/tickets.csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (res.body as string).trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^number,subject,status/)
    const numbersIn = lines.slice(1).map((l) => l.split(',')[0])
    expect(numbersIn.sort()).toEqual(['T6', 'T1', 'T3', 'T2', 'T4', 'T5'].map((k) => numbers[k]).sort())
    const t6 = lines.find((l) => l.startsWith(numbers.T6!))!
    expect(t6).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`)
    const t1 = lines.find((l) => l.startsWith(numbers.T1!))!
    // Created, first response (3,900 min; 120 business), resolved (5,400; 720), reopened once, 1 reply.
    expect(t1).toContain(
      ',2026-12-04T16:00:00.000Z,2026-12-07T09:00:00.000Z,3900,120,2026-12-08T10:00:00.000Z,5400,720,1,1',
    )

    const theirs = await sam.get('/api/v1/reports/tickets.csv')
    const samLines = (theirs.body as string).trimEnd().split('\r\n')
    expect(samLines).toHaveLength(2)
    expect(samLines[1]).toContain(`"'+Refund request"`)
    const filtered = await john.get('/api/v1/reports/tickets.csv?statusCategory=resolved')
    expect((filtered.body as string).trimEnd().split('\r\n')).toHaveLength(4)

    const audit = await t.app.db.read
      .selectFrom('events')
      .select(['actor_id', 'after', 'channel'])
      .where('type', '=', 'report.tickets_exported')
      .orderBy('id')
      .execute()
    expect(audit).toHaveLength(3)
    expect(JSON.parse(audit[2]!.after!)).toEqual({ format: 'csv', filters: { statusCategory: ['resolved'] } })
    expect((await ken.get('/api/v1/reports/tickets.csv')).status).toBe(403)
  })

  it('keeps the facts up to date from the event log, and repeats nothing on a rerun', async () => {
    // Only the exports' audit events came since: they touch no ticket.
    const again = await runReportFacts(t.app, { settleMs: 0 })
    expect(again).toMatchObject({ events: 3, tickets: 0 })
    expect((await runReportFacts(t.app, { settleMs: 0 })).events).toBe(0)
    await reply('T5', '2026-12-10T12:30:00Z')
    const run = await runReportFacts(t.app, { settleMs: 0 })
    expect(run.tickets).toBe(1)
    const body = await report(john, 'overview')
    expect(body.total.values.firstResponses).toBe(5)
    expect(body.factsUpToEventId).toBe(run.upTo)
  })
})
