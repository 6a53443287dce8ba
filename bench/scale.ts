// A million tickets (issue 15): the calls an agent makes all day, searches of every kind, a ticket view,
// ticket creation at concurrency 32, the SLA sweep and the server's resident memory, against 1,000,000
// synthetic tickets (switchboard seed --synthetic), on SQLite or PostgreSQL. The server runs as its own
// process; reads are sent one at a time as John (Support), so each figure is one request's latency.
// Targets on SQLite: queue p99 < 10 ms, search p95 < 30 ms for every kind, counts < 50 ms, RSS < 250 MB;
// on PostgreSQL within 3× of those.
//
// Run: node bin/run-ts.js bench/scale.ts --db sqlite --file /work/bench-data/sqlite-1m.db
//      node bin/run-ts.js bench/scale.ts --db postgres --url postgres://postgres@127.0.0.1:5432/bench_scale
// A database that already holds synthetic tickets is reused (seeding a million takes tens of minutes: seed it
// beforehand with `DATABASE_URL=… switchboard seed --synthetic 1000000`); an empty one is seeded first.
import { parseArgs } from 'node:util'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { runSlaSweep } from '../src/jobs/slaSweep.ts'
import { VOCABULARY } from '../src/seed/syntheticText.ts'
import {
  blocking,
  call,
  createLoad,
  fmt,
  loadLine,
  machineLine,
  measure,
  prepareSynthetic,
  residentMemory,
  searchCalls,
  workspaceCalls,
  type Page,
} from './benchHttp.ts'
import { signIn, startServer, type BenchServer } from './benchServer.ts'

const { values: flags } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    file: { type: 'string', default: '/work/bench-data/sqlite-1m.db' },
    url: { type: 'string' },
    tickets: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '200' },
    'create-seconds': { type: 'string', default: '20' },
  },
})
const SECONDS = Number(flags.seconds)
const RUNS = Number(flags.runs)
let databaseUrl: string
if (flags.db === 'postgres') {
  if (!flags.url) throw new Error('--db postgres needs --url postgres://… (createdb one for the benchmark)')
  databaseUrl = flags.url
} else if (flags.db === 'sqlite') databaseUrl = `sqlite:${flags.file}`
else throw new Error('--db must be sqlite or postgres')

/** One SLA sweep in this process, as the worker runs it: what was due since the last one, then nothing. */
async function slaSweeps(): Promise<void> {
  const db = openDatabase(databaseUrl)
  try {
    const app = await createApp(loadConfig({ ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: '' }), db)
    for (const label of ['SLA sweep (what fell due since the last)', 'SLA sweep again (nothing due)']) {
      const started = performance.now()
      const r = await runSlaSweep(app)
      console.log(
        `${label.padEnd(48)} ${fmt(performance.now() - started).padStart(7)} ms  ` +
          `(${r.tickets.toLocaleString('en')} tickets, ${r.firings.toLocaleString('en')} firings)`,
      )
    }
  } finally {
    await db.close()
  }
}

let server: BenchServer | undefined
try {
  const tickets = await prepareSynthetic(databaseUrl, Number(flags.tickets))
  console.log(`${tickets.toLocaleString('en')} tickets, ${databaseUrl.split(':')[0]}; ${machineLine()}`)
  // Before the server starts, so that its own first sweep finds nothing due and does not run beside the reads.
  await slaSweeps()
  // The server's sweeps would otherwise run every 10 s beside the timed reads.
  const env = { SWEEP_INTERVAL_MS: '3600000' }
  server = await startServer(databaseUrl, env).catch(() => startServer(databaseUrl, env))
  const { url, pid } = server
  const token = await signIn(url, 'john@example.com')
  const me = ((await call(url, token, '/api/v1/auth/me')).body as { user?: { id: number } }).user?.id
  const get = (path: string) => () => call(url, token, path)
  const timed = (c: {
    label: string
    path: string
    check?: (b: unknown) => string | undefined
    runs?: number
  }) =>
    measure(c.label, get(c.path), {
      pid,
      runs: c.runs ?? RUNS,
      seconds: SECONDS,
      ...(c.check ? { check: c.check } : {}),
    })

  console.log(`GET as John (Support), one request at a time:`)
  for (const c of workspaceCalls(me)) await timed(c)
  const newest = ((await call(url, token, '/api/v1/tickets?view=open')).body as Page).items[10]?.number
  if (newest) await timed({ label: `ticket view  /tickets/${newest}`, path: `/api/v1/tickets/${newest}` })
  for (const c of searchCalls(VOCABULARY)) await timed(c)
  const [first, second] = [VOCABULARY[0]!, VOCABULARY[1]!]
  await blocking(
    `search q=${first} ${second}, with a request beside it`,
    url,
    get(`/api/v1/tickets?q=${encodeURIComponent(`${first} ${second}`)}`),
  )
  await blocking('counts /queues, with a request beside it', url, get('/api/v1/queues'))
  const afterReads = await residentMemory(pid)

  const ken = await signIn(url, 'ken@example.com')
  const created = await createLoad([url], ken, {
    concurrency: 32,
    seconds: Number(flags['create-seconds']),
    label: Date.now().toString(36),
  })
  console.log(loadLine('create POST /tickets, concurrency 32', created, 'tickets'))
  const end = await residentMemory(pid)
  if (afterReads && end)
    console.log(
      `${'server resident memory'.padEnd(48)} ${afterReads.rss.toFixed(0)} MiB after the reads, ` +
        `${end.rss.toFixed(0)} MiB after the creates, peak ${end.peak.toFixed(0)} MiB`,
    )
  console.log(machineLine())
} finally {
  server?.stop()
}
