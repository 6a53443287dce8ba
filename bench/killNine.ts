// Durability under kill -9: starts the real server (`node bin/switchboard.js serve`) on a scratch database,
// creates tickets under load, kills the process with SIGKILL at a random moment, restarts it, and checks that
// every ticket that was acknowledged with a 201 is still there — and, on SQLite, that PRAGMA integrity_check
// says ok. Repeats 20 times (or --cycles N).
//
//   node bin/run-ts.js bench/killNine.ts --db sqlite
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_x node bin/run-ts.js bench/killNine.ts --db postgres
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'
import pg from 'pg'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    cycles: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
  },
})
const kind = values.db === 'postgres' ? 'postgres' : 'sqlite'
const CYCLES = Number(values.cycles)
const CONCURRENCY = Number(values.concurrency)
const root = new URL('..', import.meta.url).pathname

const trace = (what: string) => {
  if (process.env.TRACE) console.log(`  [${new Date().toISOString()}] ${what}`)
}

async function scratch(): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-kill9-'))
    return {
      url: `sqlite:${join(dir, 'kill9.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const base = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!base?.startsWith('postgres')) throw new Error('set DATABASE_URL=postgres://… for --db postgres')
  const schema = `kill9_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const url = new URL(base)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`drop schema ${schema} cascade`)
      await c.end()
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.js', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`switchboard ${args.join(' ')} exited ${code}`)),
    )
  })
}

async function startServe(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/switchboard.js', 'serve'], {
    cwd: root,
    env: { ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += String(d)))
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`serve did not come up: ${stderr}`)
}

interface Check {
  present: Set<string>
  integrity: string
}

async function inspect(url: string): Promise<Check> {
  if (kind === 'sqlite') {
    const db = new SQLite(url.slice('sqlite:'.length))
    try {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
        .map((r) => r.integrity_check)
        .join('; ')
      const rows = db.prepare('select number from tickets').all() as { number: string }[]
      return { present: new Set(rows.map((r) => r.number)), integrity }
    } finally {
      db.close()
    }
  }
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const { rows } = await c.query<{ number: string }>('select number from tickets')
    const amcheck = 'n/a (PostgreSQL keeps running; only Switchboard is killed)'
    return { present: new Set(rows.map((r) => r.number)), integrity: amcheck }
  } finally {
    await c.end()
  }
}

async function main(): Promise<void> {
  const db = await scratch()
  const env = { ...process.env, DATABASE_URL: db.url, SWITCHBOARD_DEMO: 'off' }
  await cli(['seed', '--demo'], env)
  const acknowledged = new Set<string>()
  let lost = 0
  let unacknowledgedButKept = 0
  let failedRequests = 0
  const integrity: string[] = []
  console.log(`kill -9 durability on ${kind}: ${CYCLES} cycles, ${CONCURRENCY} concurrent creators`)
  try {
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const port = await freePort()
      trace(`cycle ${cycle}: starting on port ${port}`)
      const server = await startServe(env, port)
      trace(`cycle ${cycle}: serving`)
      const base = `http://127.0.0.1:${port}`
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ken@example.com', password: 'demo-password' }),
      })
      const { token } = (await login.json()) as { token: string }
      let stop = false
      let acked = 0
      const attempted = new Set<string>()
      const creator = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const subject = `kill9 c${cycle} w${w} #${i}`
          attempted.add(subject)
          try {
            const res = await fetch(`${base}/api/v1/tickets`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ subject, message: 'Written just before a kill -9.' }),
            })
            if (res.status === 201) {
              const body = (await res.json()) as { ticket: { number: string } }
              acknowledged.add(body.ticket.number)
              acked++
            } else failedRequests++
          } catch {
            return // the server died under us: this request was never acknowledged
          }
        }
      }
      const workers = Array.from({ length: CONCURRENCY }, (_, w) => creator(w))
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 3000))
      server.kill('SIGKILL')
      stop = true
      trace(`cycle ${cycle}: killed`)
      await Promise.all(workers)
      trace(`cycle ${cycle}: creators stopped`)
      if (server.exitCode === null && server.signalCode === null)
        await new Promise((r) => server.once('exit', r))
      trace(`cycle ${cycle}: exited`)
      const check = await inspect(db.url)
      const missing = [...acknowledged].filter((n) => !check.present.has(n))
      lost += missing.length
      unacknowledgedButKept = check.present.size - acknowledged.size
      integrity.push(check.integrity)
      console.log(
        `cycle ${String(cycle).padStart(2)}: ${acked} acknowledged this cycle, ${acknowledged.size} in all, ` +
          `${missing.length} lost, integrity_check: ${check.integrity}`,
      )
      if (missing.length > 0) console.log(`  LOST: ${missing.slice(0, 10).join(', ')}`)
    }
    // A last start proves the database still opens and serves after the final kill.
    const port = await freePort()
    const server = await startServe(env, port)
    server.kill('SIGTERM')
  } finally {
    await db.drop()
  }
  const ok = lost === 0 && integrity.every((i) => i === 'ok' || i.startsWith('n/a'))
  console.log(
    `\n${kind}: ${CYCLES} kill -9 cycles, ${acknowledged.size} tickets acknowledged, ${lost} lost; ` +
      `${Math.max(0, unacknowledgedButKept)} committed but unacknowledged (killed before the answer went out); ` +
      `${failedRequests} non-201 answers.`,
  )
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`)
  console.log(ok ? 'RESULT: OK' : 'RESULT: FAILED')
  process.exit(ok ? 0 : 1)
}

// Holds the event loop open across the moments between a child's death and the next spawn.
const keepAlive = setInterval(() => {}, 1000)
await main().finally(() => clearInterval(keepAlive))
