// The agent queue's API call (GET /api/v1/tickets?view=open, the first page of 50) with 100,000 tickets in
// the database. Seeds with bulk inserts in one transaction, starts the real server as its own process, signs
// in as John (Support) and measures with autocannon. Target: p99 under 20 ms.
// Run: node bin/run-ts.js bench/queueView.ts   (BENCH_TICKETS, BENCH_SECONDS, BENCH_CONNECTIONS;
// BENCH_DATABASE_URL=postgres://… to measure PostgreSQL instead of a fresh SQLite file)
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { ticketNumberFor } from '../src/domain/tickets.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { signIn, startServer, type BenchServer } from './benchServer.ts'
import { machine } from './machine.ts'

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1)
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`
let server: BenchServer | undefined

async function seed(): Promise<void> {
  const db = openDatabase(databaseUrl)
  await migrateToLatest(db)
  const now = Date.now()
  await seedDemo(db.writer, now)
  const departments = await db.read.selectFrom('departments').select('id').orderBy('id').execute()
  const customers = await db.read.selectFrom('users').select('id').where('type', '=', 'customer').execute()
  const agents = await db.read.selectFrom('users').select('id').where('type', '=', 'agent').execute()
  const first = (
    await db.read
      .selectFrom('tickets')
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirst()
  )?.m
  const startId = Number(first ?? 0) + 1
  const statuses = ['open', 'open', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'closed']
  const priorities = ['low', 'normal', 'normal', 'high', 'emergency']
  const started = performance.now()
  await db.transact(async (trx) => {
    const BATCH = 500
    for (let offset = 0; offset < TICKETS; offset += BATCH) {
      const rows = []
      for (let i = offset; i < Math.min(TICKETS, offset + BATCH); i++) {
        const id = startId + i
        const at = now - (TICKETS - i) * 60_000
        const status = statuses[i % statuses.length]!
        rows.push({
          id,
          number: ticketNumberFor(id),
          subject: `Benchmark ticket ${i}: the printer on floor ${i % 7} is out of toner`,
          department_id: departments[i % departments.length]!.id,
          assignee_agent_id: i % 3 === 0 ? null : agents[i % agents.length]!.id,
          assignee_team_id: null,
          requester_id: customers[i % customers.length]!.id,
          priority: priorities[i % priorities.length]!,
          status,
          source: 'web',
          created_at: at,
          updated_at: at,
          closed_at: status === 'resolved' || status === 'closed' ? at : null,
          last_activity_at: at,
        })
      }
      await trx.insertInto('tickets').values(rows).execute()
    }
  })
  if (db.dialect === 'postgres') {
    // Bulk-inserted explicit ids leave the sequence behind; tickets created later would collide.
    const { sql } = await import('kysely')
    await sql`select setval(pg_get_serial_sequence('tickets', 'id'), (select max(id) from tickets))`.execute(
      db.writer,
    )
    await sql`analyze tickets`.execute(db.writer)
  } else {
    const { sql } = await import('kysely')
    await sql`analyze`.execute(db.writer)
  }
  console.log(
    `seeded ${TICKETS} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s (${db.dialect})`,
  )
  await db.close()
}

try {
  await seed()
  server = await startServer(databaseUrl)
  const url = server.url
  const token = await signIn(url, 'john@example.com')
  const path = '/api/v1/tickets?view=open'
  const check = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } })
  const page = (await check.json()) as { items: unknown[] }
  if (check.status !== 200 || page.items.length !== 50) throw new Error(`unexpected answer ${check.status}`)
  const headers = { authorization: `Bearer ${token}` }
  await autocannon({ url: url + path, headers, connections: CONNECTIONS, duration: 2 }) // warm-up
  const result = await autocannon({ url: url + path, headers, connections: CONNECTIONS, duration: SECONDS })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`)
  console.log(
    `GET ${path} as John (Support) with ${TICKETS} tickets, ${CONNECTIONS} connection(s), ${SECONDS} s: ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ` +
      `${Math.round(result.requests.average)} req/s`,
  )
  // The box may be shared; the load average says how much of the tail is other people's work.
  console.log(
    `machine: ${machine()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
} finally {
  server?.stop()
  rmSync(dir, { recursive: true, force: true })
}
