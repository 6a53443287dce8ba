// Reports at scale (issue 16): each report over a year of synthetic tickets (switchboard seed --synthetic), as a
// reader who holds a role in every department (the widest scope), on SQLite or PostgreSQL; then the CSV export of
// every ticket, its rate and the process's peak memory. Target: each report under 1 s at 1,000,000 tickets.
//
// Run: node bin/run-ts.js bench/reports.ts --db sqlite [--file /work/bench-reports/sqlite-1m.db] [--tickets 1000000]
//      node bin/run-ts.js bench/reports.ts --db postgres --url postgres://postgres@127.0.0.1:5432/bench_reports
// A database that already holds synthetic tickets is reused; an empty one is seeded first, then the report-facts
// job reads its whole event log (timed: that is the one-off cost of turning reports on for an existing desk).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { PERMISSIONS } from '../src/domain/permissions.ts'
import { runReportFacts } from '../src/jobs/reportFacts.ts'
import type { AgentActor } from '../src/policies/actor.ts'
import { REPORT_NAMES, runReport } from '../src/queries/reportQueries.ts'
import { ticketsCsv } from '../src/queries/ticketExport.ts'
import { getSetting } from '../src/repositories/settingsRepo.ts'
import { seedEssentials } from '../src/seed/demo.ts'
import { seedSynthetic, SYNTHETIC_MARKER } from '../src/seed/synthetic.ts'
import { machine } from './machine.ts'

const { values: flags } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    file: { type: 'string' },
    url: { type: 'string' },
    tickets: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'skip-export': { type: 'boolean', default: false },
  },
})
const TICKETS = Number(flags.tickets)
const RUNS = Number(flags.runs)
let databaseUrl: string
if (flags.db === 'postgres') {
  if (!flags.url) throw new Error('--db postgres needs --url postgres://… (createdb one for the benchmark)')
  databaseUrl = flags.url
} else if (flags.db === 'sqlite') {
  databaseUrl = `sqlite:${flags.file ?? join(mkdtempSync(join(tmpdir(), 'switchboard-bench-')), 'bench.db')}`
} else throw new Error('--db must be sqlite or postgres')

const DAY = 86_400_000
const db = openDatabase(databaseUrl, { queryTimeoutMs: 60_000 })
await migrateToLatest(db)
await seedEssentials(db.writer, Date.now())
const have = Number((await getSetting(db.writer, SYNTHETIC_MARKER)) ?? 0)
if (have > 0) console.log(`reusing ${have.toLocaleString('en')} synthetic tickets in ${databaseUrl}`)
else {
  const summary = await seedSynthetic(db, {
    tickets: TICKETS,
    seed: 1,
    onProgress: (done, total, ms) => {
      if (done % 100_000 === 0 || done === total)
        console.log(`  seeded ${done.toLocaleString('en')} tickets, ${Math.round(done / (ms / 1000))}/s`)
    },
  })
  console.log(
    `seeded ${summary.tickets.toLocaleString('en')} tickets, ${summary.events.toLocaleString('en')} events ` +
      `in ${(summary.elapsedMs / 1000).toFixed(0)} s`,
  )
}
const app = await createApp(loadConfig({}), db)

let started = performance.now()
let total = { events: 0, tickets: 0 }
for (;;) {
  const run = await runReportFacts(app, { maxBatches: 20, settleMs: 0 })
  total = { events: total.events + run.events, tickets: total.tickets + run.tickets }
  if (run.events === 0) break
  if (total.events % 200_000 < run.events)
    console.log(`  facts: ${total.events.toLocaleString('en')} events read`)
}
const factsMs = performance.now() - started
console.log(
  `report facts: ${total.events.toLocaleString('en')} events, ${total.tickets.toLocaleString('en')} ticket ` +
    `recomputations in ${(factsMs / 1000).toFixed(1)} s (${Math.round(total.events / (factsMs / 1000 || 1))} events/s)`,
)

const departments = await db.read.selectFrom('departments').select('id').execute()
const someAgent = await db.read
  .selectFrom('users')
  .select(['id', 'name', 'email'])
  .where('type', '=', 'agent')
  .executeTakeFirstOrThrow()
const reader: AgentActor = {
  kind: 'agent',
  id: someAgent.id,
  name: someAgent.name,
  email: someAgent.email,
  isAdmin: true,
  primaryDepartmentId: departments[0]?.id ?? null,
  roles: new Map(departments.map((d) => [d.id, new Set(PERMISSIONS)])),
  teamIds: [],
}
const ticketCount = Number(
  (
    await db.read
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
)
const to = Date.now()
const from = to - 365 * DAY
console.log(`\n${machine()}`)
console.log(
  `${db.dialect}, ${ticketCount.toLocaleString('en')} tickets; reports over the last 365 days, as a reader of every department`,
)
const cases: [string, (typeof REPORT_NAMES)[number], Record<string, unknown>][] = [
  ['overview', 'overview', {}],
  ['overview by week', 'overview', { groupBy: 'week' }],
  ['overview by department', 'overview', { groupBy: 'department' }],
  ['overview, one department', 'overview', { departmentId: [departments[0]!.id] }],
  ['sla by department', 'sla', { groupBy: 'department' }],
  ['agents', 'agents', {}],
  ['backlog by department', 'backlog', { groupBy: 'department' }],
]
for (const [label, name, extra] of cases) {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    started = performance.now()
    await runReport(app, reader, name, { from, to, ...extra })
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  console.log(
    `  ${label.padEnd(28)} best ${times[0]!.toFixed(0).padStart(6)} ms, worst ${times.at(-1)!.toFixed(0).padStart(6)} ms`,
  )
}

if (!flags['skip-export']) {
  let rows = 0
  let bytes = 0
  let peakRss = process.memoryUsage().rss
  const baseRss = peakRss
  started = performance.now()
  for await (const chunk of ticketsCsv(app, reader, {})) {
    rows += chunk.split('\r\n').length - 1
    bytes += Buffer.byteLength(chunk)
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }
  const s = (performance.now() - started) / 1000
  console.log(
    `  CSV export: ${(rows - 1).toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${s.toFixed(1)} s ` +
      `(${Math.round((rows - 1) / s).toLocaleString('en')} rows/s); RSS ${(baseRss / 2 ** 20).toFixed(0)} MiB ` +
      `before, ${(peakRss / 2 ** 20).toFixed(0)} MiB at most`,
  )
}
await db.close()
