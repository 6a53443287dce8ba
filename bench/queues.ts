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
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedEssentials } from '../src/seed/demo.ts'
import { seedSynthetic, SYNTHETIC_MARKER } from '../src/seed/synthetic.ts'
import { VOCABULARY } from '../src/seed/syntheticText.ts'
import { getSetting } from '../src/repositories/settingsRepo.ts'
import { signIn, startServer, type BenchServer } from './benchServer.ts'
import { machine } from './machine.ts'

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

/** Seeds `TICKETS` synthetic tickets unless the database already holds synthetic tickets. */
async function prepare(): Promise<void> {
  const db = openDatabase(databaseUrl)
  try {
    await migrateToLatest(db)
    await seedEssentials(db.writer, Date.now())
    const have = Number((await getSetting(db.writer, SYNTHETIC_MARKER)) ?? 0)
    if (have > 0) {
      console.log(`reusing ${have.toLocaleString('en')} synthetic tickets in ${databaseUrl}`)
      return
    }
    const summary = await seedSynthetic(db, {
      tickets: TICKETS,
      seed: 1,
      onProgress: (done, total, ms) => {
        if (done % 100_000 === 0 || done === total)
          console.log(`  seeded ${done.toLocaleString('en')} tickets, ${Math.round(done / (ms / 1000))}/s`)
      },
    })
    const s = summary.elapsedMs / 1000
    console.log(
      `seeded ${summary.tickets.toLocaleString('en')} tickets (${summary.entries.toLocaleString('en')} entries, ` +
        `${summary.events.toLocaleString('en')} events) in ${s.toFixed(0)} s: ` +
        `${Math.round(summary.tickets / s)} tickets/s (${db.dialect})`,
    )
  } finally {
    await db.close()
  }
}

interface Timed {
  status: number
  ms: number
  body: unknown
}

async function call(url: string, token: string, path: string, body?: unknown): Promise<Timed> {
  const started = performance.now()
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const ms = performance.now() - started
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, ms, body: parsed }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0))

interface Item {
  number: string
  priority: string
  assigneeAgentId: number | null
  sla: {
    state: string | null
    firstResponseDueAt: string | null
    firstRespondedAt: string | null
    nextResponseDueAt: string | null
    resolutionDueAt: string | null
  } | null
}
type Page = { items: Item[]; nextCursor: string | null }

/**
 * Times one call until RUNS answers or SECONDS have passed (at least 3). `check` says whether the answer is
 * what the parameters ask for: a server that ignores a parameter it does not know yet is "not supported yet",
 * like one that refuses it with 400 (or 404 for an endpoint that does not exist yet).
 */
async function measure(
  label: string,
  send: () => Promise<Timed>,
  check: (body: unknown) => string | undefined = () => undefined,
  runs = RUNS,
): Promise<void> {
  const first = await send()
  if (first.status === 400 || first.status === 404) {
    console.log(`${label.padEnd(48)} not supported yet (${first.status})`)
    return
  }
  if (first.status !== 200) throw new Error(`${label}: ${first.status} ${JSON.stringify(first.body)}`)
  const problem = check(first.body)
  if (problem) {
    console.log(`${label.padEnd(48)} not supported yet (${problem})`)
    return
  }
  const times: number[] = []
  const until = performance.now() + SECONDS * 1000
  while (times.length < runs && (times.length < 3 || performance.now() < until)) {
    const r = await send()
    if (r.status !== 200) throw new Error(`${label}: ${r.status} ${JSON.stringify(r.body)}`)
    times.push(r.ms)
  }
  times.sort((a, b) => a - b)
  const items = (first.body as Partial<Page>).items
  console.log(
    `${label.padEnd(48)} p50 ${fmt(percentile(times, 50)).padStart(7)} ms  p99 ${fmt(percentile(times, 99)).padStart(7)} ms` +
      `  (${times.length} runs${items ? `, ${items.length} items` : ''})`,
  )
}

const every =
  (what: string, test: (i: Item) => boolean) =>
  (body: unknown): string | undefined => {
    const items = (body as Page).items
    return items.length > 0 && items.every(test) ? undefined : `answered, but not every ticket is ${what}`
  }

/** The longest a trivial request waits while `slow` runs (probed every 200 ms): does one request block all? */
async function blocking(label: string, url: string, slow: () => Promise<Timed>): Promise<void> {
  let done = false
  const running = slow().finally(() => (done = true))
  let worst = 0
  while (!done) {
    await new Promise((r) => setTimeout(r, 200))
    const started = performance.now()
    await fetch(`${url}/healthz`).then((r) => r.text())
    worst = Math.max(worst, performance.now() - started)
  }
  const took = (await running).ms
  console.log(`${label.padEnd(48)} /healthz waited up to ${fmt(worst)} ms while it ran (${fmt(took)} ms)`)
}

let server: BenchServer | undefined
try {
  await prepare()
  // A random port may be taken; one more try with another.
  server = await startServer(databaseUrl).catch(() => startServer(databaseUrl))
  const { url } = server
  const token = await signIn(url, 'john@example.com')
  const me = ((await call(url, token, '/api/v1/auth/me')).body as { user?: { id: number } }).user?.id
  const get = (path: string) => () => call(url, token, path)
  console.log(`GET as John (Support), one request at a time, ${databaseUrl.split(':')[0]}:`)

  await measure('default queue  /tickets', get('/api/v1/tickets'))
  await measure('open queue     /tickets?view=open', get('/api/v1/tickets?view=open'))
  await measure(
    'view  priority=emergency',
    get('/api/v1/tickets?view=open&priority=emergency'),
    every('emergency', (i) => i.priority === 'emergency'),
  )
  await measure(
    'view  assignee=me',
    get('/api/v1/tickets?view=open&assignee=me'),
    every('assigned to John', (i) => me === undefined || i.assigneeAgentId === me),
  )
  await measure(
    'view  sla=breached',
    get('/api/v1/tickets?view=open&sla=breached'),
    every('breached', (i) => i.sla?.state === 'breached'),
  )
  await measure('sort  sort=due&order=asc', get('/api/v1/tickets?view=open&sort=due&order=asc'), (body) => {
    // The nearest due time of the targets still running (a met first response no longer runs).
    const nearest = (i: Item) =>
      [
        i.sla?.firstRespondedAt ? null : i.sla?.firstResponseDueAt,
        i.sla?.nextResponseDueAt,
        i.sla?.resolutionDueAt,
      ]
        .filter((d): d is string => typeof d === 'string')
        .sort()[0] ?? null
    const due = (body as Page).items.map(nearest).filter((d) => d !== null)
    return due.every((d, k) => k === 0 || d >= due[k - 1]!) ? undefined : 'answered, but not by due time'
  })
  await measure('counts /queues', get('/api/v1/queues'))
  await measure('search q=100501 (a number)', get('/api/v1/tickets?q=100501'), (body) =>
    (body as Page).items[0]?.number === '100501' ? undefined : 'answered, but #100501 is not first',
  )
  const common = VOCABULARY[0]!
  const rare = VOCABULARY[VOCABULARY.length - 1]!
  await measure(`search q=${common} (the commonest word)`, get(`/api/v1/tickets?q=${common}`), undefined, 20)
  await measure(`search q=${rare} (a word of the long tail)`, get(`/api/v1/tickets?q=${rare}`))
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
    await measure(
      `bulk  POST /tickets/bulk, ${numbers.length} tickets`,
      () =>
        call(url, token, '/api/v1/tickets/bulk', {
          numbers,
          changes: { priority: flip++ % 2 === 0 ? 'high' : 'normal' },
        }),
      undefined,
      5,
    )
  console.log(
    `machine: ${machine()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
} finally {
  server?.stop()
  rmSync(dir, { recursive: true, force: true })
}
