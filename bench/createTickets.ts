// Ticket creation over HTTP at concurrency 32 on SQLite, against a bare Fastify echo of the same body as the
// ceiling. Both servers run as their own processes; this process only drives load (autocannon).
// Run: npm run bench:create  (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 to change the run)
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { machine } from './machine.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const root = new URL('..', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
const children: ChildProcess[] = []

function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } })
    children.push(child)
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = ready.exec(out)
      if (m) resolve(m[1] ?? '')
    })
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
}

const message = 'The invoice PDF will not open in the portal. '.repeat(22).slice(0, 1000)
const body = JSON.stringify({ subject: 'Invoice will not open', message })

async function run(url: string, headers: Record<string, string>) {
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
}

try {
  const dbFile = join(dir, 'bench.db')
  const port = 18500 + Math.floor(Math.random() * 400)
  await startProcess(
    ['bin/switchboard.js', 'start'],
    { DATABASE_URL: `sqlite:${dbFile}`, PORT: String(port), LOG_LEVEL: 'warn' },
    /(listening)/,
  )
  const base = `http://127.0.0.1:${port}`
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ken@example.com', password: 'demo-password' }),
  }).then((r) => r.json() as Promise<{ token: string }>)

  // Warm up (JIT, caches), then measure.
  await autocannon({
    url: `${base}/api/v1/tickets`,
    method: 'POST',
    connections: 8,
    amount: 500,
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
  })
  const tickets = await run(`${base}/api/v1/tickets`, { authorization: `Bearer ${login.token}` })

  const echoPort = await startProcess(['bin/run-ts.js', 'bench/echoServer.ts'], {}, /listening (\d+)/)
  await autocannon({
    url: `http://127.0.0.1:${echoPort}/echo`,
    method: 'POST',
    connections: 8,
    amount: 2000,
    body,
    headers: { 'content-type': 'application/json' },
  })
  const echo = await run(`http://127.0.0.1:${echoPort}/echo`, {})

  const created = tickets['2xx'] / tickets.duration
  const echoed = echo['2xx'] / echo.duration
  const db = new Database(dbFile, { readonly: true })
  const stored = (db.prepare('select count(*) as n from tickets').get() as { n: number }).n
  db.close()
  const errors = tickets.errors + tickets.timeouts + tickets.non2xx
  console.log(`machine: ${machine()}`)
  console.log(`database: SQLite (WAL, synchronous=FULL), ${CONNECTIONS} connections, ${SECONDS} s`)
  console.log(
    `create tickets: ${created.toFixed(0)} tickets/s, p50 ${tickets.latency.p50} ms, p99 ${tickets.latency.p99} ms, errors ${errors}`,
  )
  console.log(
    `echo ceiling:   ${echoed.toFixed(0)} req/s, p50 ${echo.latency.p50} ms, p99 ${echo.latency.p99} ms`,
  )
  console.log(`ratio: ${((created / echoed) * 100).toFixed(1)}% of the echo rate`)
  console.log(`stored tickets: ${stored} (acknowledged in the measured run: ${tickets['2xx']}, warm-up: 500)`)
  if (errors > 0) process.exitCode = 1
} finally {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
}
