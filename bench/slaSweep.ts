// The SLA breach sweep over 100,000 open tickets. The sweep reads only due tickets through the
// tickets_sla_alert index, so its cost is the number of due tickets, not the number of open ones.
// Run: node bin/run-ts.js bench/slaSweep.ts   (SQLite in a temp dir)
//      DATABASE_URL=postgres://… node bin/run-ts.js bench/slaSweep.ts   (an EMPTY PostgreSQL database)
// BENCH_TICKETS (100000) and BENCH_DUE (1000: tickets that cross a threshold at each timed sweep).
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { advanceClock, columnsOf } from '../src/domain/slaClock.ts'
import { runSlaSweep } from '../src/jobs/slaSweep.ts'
import { seedDemo } from '../src/seed/demo.ts'

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000)
const DUE = Number(process.env.BENCH_DUE ?? 1000)
const MIN = 60_000

function machine(): string {
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${process.platform}`
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-slabench-'))
const url = process.env.DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`
const db = openDatabase(url)
const clock = {
  t: Date.parse('2026-12-01T10:00:00Z'),
  now() {
    return this.t
  },
}
try {
  await migrateToLatest(db)
  await seedDemo(db.writer, clock.t)
  const app = await createApp({ ...loadConfig({}), databaseUrl: url }, db, clock)
  const support = await db.read
    .selectFrom('departments')
    .select('id')
    .where('name', '=', 'Support')
    .executeTakeFirstOrThrow()
  const users = await db.read.selectFrom('users').select(['id', 'email']).execute()
  const id = (email: string) => users.find((u) => u.email === email)!.id
  await db.writer
    .updateTable('departments')
    .set({ manager_id: id('jane@example.com') })
    .where('id', '=', support.id)
    .execute()
  const routing = await app.routing.current(db.read)
  const plan = routing.plan(routing.defaultPlanId()!)!

  // Emergency tickets (30 minutes to first response, counted 24x7). DUE of them were opened 23 minutes
  // before the first timed sweep (they are at risk then, and breach 8 minutes later); the rest just now.
  const clockFor = (createdAt: number) => {
    const c = advanceClock(null, {
      plan,
      priority: 'emergency',
      category: 'open',
      customerMessage: true,
      agentResponse: false,
      created: true,
      reopened: false,
      firstRespondedAt: null,
      at: createdAt,
    })
    return { json: JSON.stringify(c), cols: columnsOf(c, createdAt) }
  }
  const early = clockFor(clock.t - 23 * MIN)
  const late = clockFor(clock.t)
  const t0 = performance.now()
  const BATCH = 1000
  for (let start = 0; start < TICKETS; start += BATCH) {
    await db.transact(async (trx) => {
      const rows = []
      for (let i = start; i < Math.min(start + BATCH, TICKETS); i++) {
        const c = i < DUE ? early : late
        const at = i < DUE ? clock.t - 23 * MIN : clock.t
        rows.push({
          number: String(900_000_000 + i),
          subject: `Bench ticket ${i}`,
          department_id: support.id,
          assignee_agent_id: id('john@example.com'),
          requester_id: id('ken@example.com'),
          priority: 'emergency',
          status: 'open',
          source: 'api',
          created_at: at,
          updated_at: at,
          last_activity_at: at,
          sla_plan_id: plan.id,
          sla_plan_source: 'default' as const,
          sla_clock: c.json,
          sla_first_response_due_at: c.cols.firstResponseDueAt,
          sla_resolution_due_at: c.cols.resolutionDueAt,
          sla_state: c.cols.state,
          sla_alert_at: c.cols.alertAt,
        })
      }
      await trx.insertInto('tickets').values(rows).execute()
    })
  }
  console.log(
    `seeded ${TICKETS} open tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s (${db.dialect})`,
  )

  const timed = async (label: string) => {
    const s = performance.now()
    const r = await runSlaSweep(app)
    const ms = performance.now() - s
    console.log(
      `${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms   tickets swept ${r.tickets}, firings ${r.firings}`,
    )
    return r
  }
  const a = await timed(`sweep: ${DUE} at risk of ${TICKETS} open`)
  await timed(`sweep again: nothing due (idle)`)
  clock.t += 8 * MIN
  const b = await timed(`sweep: ${DUE} breached of ${TICKETS} open`)
  await timed(`sweep again: nothing due (idle)`)
  if (a.firings !== DUE || b.firings !== DUE) throw new Error(`expected ${DUE} firings per sweep`)
  const events = await db.read
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', 'like', 'sla.%')
    .executeTakeFirstOrThrow()
  console.log(`sla events written: ${events.n} (expected ${2 * DUE})`)
  console.log(`machine: ${machine()}`)
} finally {
  await db.close()
  rmSync(dir, { recursive: true, force: true })
}
