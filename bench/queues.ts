// The agent workspace at scale (issue 10): p50/p99 of the queue API calls an agent makes all day, against
// 1,000,000 synthetic tickets (switchboard seed --synthetic), on SQLite or PostgreSQL. The server runs as its
// own process; requests are sent one at a time as John (Support), so each figure is one request's latency.
// Targets: queue and view pages p99 < 20 ms; all of an agent's view counts < 50 ms; bulk of 500 < 3 s.
//
// Run: npm run bench:queues -- --db sqlite [--file /work/bench-data/sqlite-1m.db] [--tickets 1000000]
//      npm run bench:queues -- --db postgres --url postgres://postgres@127.0.0.1:5432/bench_queues
// A file or database that already holds synthetic tickets is reused as it is (seeding a million takes minutes);
// an empty one is seeded first. --seconds caps the time spent on each call (default 10), --runs its count (200).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { VOCABULARY } from '../src/seed/syntheticText.ts'
import {
  blocking,
  call,
  machineLine,
  measure,
  prepareSynthetic,
  searchCalls,
  workspaceCalls,
  type Page,
  type Timed,
} from './benchHttp.ts'
import { signIn, startServer, type BenchServer } from './benchServer.ts'

const { values: flags } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    file: { type: 'string' },
    url: { type: 'string' },
    tickets: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '200' },
  },
})
const TICKETS = Number(flags.tickets)
const SECONDS = Number(flags.seconds)
const RUNS = Number(flags.runs)
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
let databaseUrl: string
if (flags.db === 'postgres') {
  if (!flags.url) throw new Error('--db postgres needs --url postgres://… (createdb one for the benchmark)')
  databaseUrl = flags.url
} else if (flags.db === 'sqlite') {
  databaseUrl = `sqlite:${flags.file ?? join(dir, 'bench.db')}`
} else throw new Error('--db must be sqlite or postgres')

const timedCall = (
  send: () => Promise<Timed>,
  label: string,
  check?: (body: unknown) => string | undefined,
  runs = RUNS,
) => measure(label, send, { runs, seconds: SECONDS, ...(check ? { check } : {}) })

let server: BenchServer | undefined
try {
  await prepareSynthetic(databaseUrl, TICKETS)
  // A random port may be taken; one more try with another.
  server = await startServer(databaseUrl).catch(() => startServer(databaseUrl))
  const { url } = server
  const token = await signIn(url, 'john@example.com')
  const me = ((await call(url, token, '/api/v1/auth/me')).body as { user?: { id: number } }).user?.id
  const get = (path: string) => () => call(url, token, path)
  console.log(`GET as John (Support), one request at a time, ${databaseUrl.split(':')[0]}:`)

  for (const c of [...workspaceCalls(me), ...searchCalls(VOCABULARY)])
    await timedCall(get(c.path), c.label, c.check, c.runs)
  const common = VOCABULARY[0]!
  await blocking(`search q=${common}, with a request beside it`, url, get(`/api/v1/tickets?q=${common}`))
  await blocking('counts /queues, with a request beside it', url, get('/api/v1/queues'))

  // Bulk: 500 tickets of John's open queue, priority changed back and forth.
  const numbers: string[] = []
  for (let cursor: string | null = null; numbers.length < 500;) {
    const r = await call(
      url,
      token,
      `/api/v1/tickets?view=open&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    const page = r.body as Page
    if (!page.items) throw new Error(`listing the open queue answered ${r.status}: ${JSON.stringify(r.body)}`)
    numbers.push(...page.items.map((i) => i.number))
    cursor = page.nextCursor
    if (!cursor) break
  }
  let flip = 0
  const paths = ((await call(url, token, '/api/v1/openapi.json')).body as { paths?: object }).paths ?? {}
  if (!('/api/v1/tickets/bulk' in paths))
    console.log(`${'bulk  POST /tickets/bulk'.padEnd(48)} not supported yet`)
  else
    await timedCall(
      () =>
        call(url, token, '/api/v1/tickets/bulk', {
          numbers,
          changes: { priority: flip++ % 2 === 0 ? 'high' : 'normal' },
        }),
      `bulk  POST /tickets/bulk, ${numbers.length} tickets`,
      undefined,
      5,
    )
  console.log(machineLine())
} finally {
  server?.stop()
  rmSync(dir, { recursive: true, force: true })
}
