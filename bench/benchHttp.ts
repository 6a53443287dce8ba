// What the HTTP benchmarks share (bench/queues.ts, bench/scale.ts, bench/scaleOut.ts): a synthetic database
// made ready, one timed request, percentiles, a call timed until enough answers, and the /healthz probe that
// shows whether one slow request holds up the others.
import { loadavg } from 'node:os'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedEssentials } from '../src/seed/demo.ts'
import { seedSynthetic, SYNTHETIC_MARKER } from '../src/seed/synthetic.ts'
import { getSetting } from '../src/repositories/settingsRepo.ts'
import { machine } from './machine.ts'

/** Migrates, then seeds `tickets` synthetic tickets unless the database already holds synthetic tickets. */
export async function prepareSynthetic(databaseUrl: string, tickets: number): Promise<number> {
  const db = openDatabase(databaseUrl)
  try {
    await migrateToLatest(db)
    await seedEssentials(db.writer, Date.now())
    const have = Number((await getSetting(db.writer, SYNTHETIC_MARKER)) ?? 0)
    if (have > 0) {
      console.log(`reusing ${have.toLocaleString('en')} synthetic tickets in ${databaseUrl}`)
      return have
    }
    const summary = await seedSynthetic(db, {
      tickets,
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
    return summary.tickets
  } finally {
    await db.close()
  }
}

export interface Timed {
  status: number
  ms: number
  body: unknown
}

/** One request, timed from sending to the last byte of the answer. */
export async function call(url: string, token: string, path: string, body?: unknown): Promise<Timed> {
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

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0))

export interface Item {
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
export type Page = { items: Item[]; nextCursor: string | null }

export interface Measured {
  label: string
  p50: number
  p95: number
  p99: number
  runs: number
  /** The server's CPU per request (Linux), which the machine's load inflates far less than latency. */
  cpuMs?: number | undefined
}

/** User + system CPU of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
export async function cpuMsOf(pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises')
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/**
 * Times one call until `runs` answers or `seconds` have passed (at least 3). `check` says whether the answer is
 * what the parameters ask for: a server that ignores a parameter it does not know yet is "not supported yet",
 * like one that refuses it with 400 (or 404 for an endpoint that does not exist yet).
 */
export async function measure(
  label: string,
  send: () => Promise<Timed>,
  options: {
    check?: (body: unknown) => string | undefined
    runs: number
    seconds: number
    /** The server's process, to report its CPU per request. */
    pid?: number
  },
): Promise<Measured | undefined> {
  const first = await send()
  if (first.status === 400 || first.status === 404) {
    console.log(`${label.padEnd(48)} not supported yet (${first.status})`)
    return undefined
  }
  if (first.status !== 200) throw new Error(`${label}: ${first.status} ${JSON.stringify(first.body)}`)
  const problem = options.check?.(first.body)
  if (problem) {
    console.log(`${label.padEnd(48)} not supported yet (${problem})`)
    return undefined
  }
  const times: number[] = []
  const cpuBefore = options.pid === undefined ? undefined : await cpuMsOf(options.pid)
  const until = performance.now() + options.seconds * 1000
  while (times.length < options.runs && (times.length < 3 || performance.now() < until)) {
    const r = await send()
    if (r.status !== 200) throw new Error(`${label}: ${r.status} ${JSON.stringify(r.body)}`)
    times.push(r.ms)
  }
  const cpuAfter = options.pid === undefined ? undefined : await cpuMsOf(options.pid)
  times.sort((a, b) => a - b)
  const m = {
    label,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    runs: times.length,
    cpuMs:
      cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / times.length,
  }
  const items = (first.body as Partial<Page>).items
  console.log(
    `${label.padEnd(48)} p50 ${fmt(m.p50).padStart(7)} ms  p95 ${fmt(m.p95).padStart(7)} ms  p99 ${fmt(m.p99).padStart(7)} ms` +
      (m.cpuMs === undefined ? '' : `  server CPU ${fmt(m.cpuMs).padStart(6)} ms/req`) +
      `  (${times.length} runs${items ? `, ${items.length} items` : ''})`,
  )
  return m
}

/** A check that every item of the page is what the filter asked for. */
export const every =
  (what: string, test: (i: Item) => boolean) =>
  (body: unknown): string | undefined => {
    const items = (body as Page).items
    return items.length > 0 && items.every(test) ? undefined : `answered, but not every ticket is ${what}`
  }

/** The longest a trivial request waits while `slow` runs (probed every 200 ms): does one request block all? */
export async function blocking(label: string, url: string, slow: () => Promise<Timed>): Promise<number> {
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
  return worst
}

export interface LoadResult {
  perSecond: number
  p50: number
  p95: number
  p99: number
  failed: number
}

/**
 * `concurrency` loops send requests for `seconds`, loop w to urls[w % urls.length] (several web processes
 * share the load evenly): answers per second and the latency of each. `ok` is the status that counts.
 */
export async function runLoad(
  urls: string[],
  options: { concurrency: number; seconds: number; ok: number },
  send: (url: string, loop: number, i: number) => Promise<Timed>,
): Promise<LoadResult> {
  const times: number[] = []
  let failed = 0
  const until = performance.now() + options.seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const r = await send(urls[w % urls.length]!, w, i)
        if (r.status === options.ok) times.push(r.ms)
        else failed++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  times.sort((a, b) => a - b)
  return {
    perSecond: times.length / elapsed,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    failed,
  }
}

/** Creates tickets as the customer whose token this is, from `concurrency` loops for `seconds`. */
export const createLoad = (
  urls: string[],
  token: string,
  options: { concurrency: number; seconds: number; label: string },
) =>
  runLoad(urls, { ...options, ok: 201 }, (url, w, i) =>
    call(url, token, '/api/v1/tickets', {
      subject: `Load ${options.label} ${w}.${i}: the printer on floor ${i % 7} jams`,
      message: 'Paper jams every third page since this morning. Restarted it twice.',
    }),
  )

/** One line for a load result. */
export const loadLine = (label: string, r: LoadResult, unit: string) =>
  `${label.padEnd(48)} ${r.perSecond.toFixed(0).padStart(5)} ${unit}/s  p50 ${fmt(r.p50)} ms  p95 ${fmt(r.p95)} ms  ` +
  `p99 ${fmt(r.p99)} ms${r.failed ? `  (${r.failed} failed)` : ''}`

/** Resident memory of a process now and at its peak (Linux /proc), in MiB; undefined elsewhere. */
export async function residentMemory(pid: number): Promise<{ rss: number; peak: number } | undefined> {
  const { readFile } = await import('node:fs/promises')
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
  } catch {
    return undefined
  }
}

/** The machine and its load, printed with every figure (the machine is shared: the load says how much). */
export const machineLine = () =>
  `machine: ${machine()}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`

export interface QueueCall {
  label: string
  path: string
  check?: (body: unknown) => string | undefined
  /** Fewer runs for calls that may take seconds. */
  runs?: number
}

/** The nearest due time of the targets still running (a met first response no longer runs). */
const nearestDue = (i: Item) =>
  [
    i.sla?.firstRespondedAt ? null : i.sla?.firstResponseDueAt,
    i.sla?.nextResponseDueAt,
    i.sla?.resolutionDueAt,
  ]
    .filter((d): d is string => typeof d === 'string')
    .sort()[0] ?? null

/**
 * The agent workspace's calls (issue 10): the default and open queues, the views and filters, the counts of
 * every queue. `me` is the agent's id, for the assignee=me check.
 */
export function workspaceCalls(me: number | undefined): QueueCall[] {
  return [
    { label: 'default queue  /tickets', path: '/api/v1/tickets' },
    { label: 'open queue     /tickets?view=open', path: '/api/v1/tickets?view=open' },
    {
      label: 'view  priority=emergency',
      path: '/api/v1/tickets?view=open&priority=emergency',
      check: every('emergency', (i) => i.priority === 'emergency'),
    },
    {
      label: 'view  assignee=me',
      path: '/api/v1/tickets?view=open&assignee=me',
      check: every('assigned to the agent', (i) => me === undefined || i.assigneeAgentId === me),
    },
    {
      label: 'view  sla=breached',
      path: '/api/v1/tickets?view=open&sla=breached',
      check: every('breached', (i) => i.sla?.state === 'breached'),
    },
    {
      label: 'sort  sort=due&order=asc',
      path: '/api/v1/tickets?view=open&sort=due&order=asc',
      check: (body) => {
        const due = (body as Page).items.map(nearestDue).filter((d) => d !== null)
        return due.every((d, k) => k === 0 || d >= due[k - 1]!) ? undefined : 'answered, but not by due time'
      },
    },
    { label: 'counts /queues', path: '/api/v1/queues' },
  ]
}

/** Searches of every kind against synthetic tickets: a ticket number, the commonest words, a rare one. */
export function searchCalls(vocabulary: readonly string[], number = '100501'): QueueCall[] {
  const [first, second] = [vocabulary[0]!, vocabulary[1]!]
  const rare = vocabulary[vocabulary.length - 1]!
  return [
    {
      label: `search q=${number} (a number)`,
      path: `/api/v1/tickets?q=${number}`,
      check: (body) =>
        (body as Page).items[0]?.number === number ? undefined : `answered, but #${number} is not first`,
    },
    { label: `search q=${first} (the commonest word)`, path: `/api/v1/tickets?q=${first}`, runs: 50 },
    {
      label: `search q=${first} ${second} (two common words)`,
      path: `/api/v1/tickets?q=${encodeURIComponent(`${first} ${second}`)}`,
      runs: 50,
    },
    { label: `search q=${rare} (a word of the long tail)`, path: `/api/v1/tickets?q=${rare}` },
  ]
}
