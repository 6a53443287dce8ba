// Start-to-exit time of one `switchboard mail:pipe` process filing one message, as an MTA runs it: spawned,
// the message written to stdin, timed until the process exits. Also times `node -e 0` on the same machine, the
// floor that no Node program can go below.
// Usage: node bin/run-ts.js bench/mailPipeStart.ts [runs=20]
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureServerBuilt, SERVER_DIST } from '../bin/build.js'
import { benchDatabase, machine, message } from './mailShared.ts'

const runs = Number(process.argv[2] ?? 20)
const url = await benchDatabase()
await ensureServerBuilt()
const run = Date.now().toString(36)

function timed(args: string[], input: string | undefined): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, {
      env: { ...process.env, DATABASE_URL: url, SMTP_URL: '', MAIL_SENDER_HOURLY_LIMIT: '1000000' },
      stdio: ['pipe', 'ignore', 'inherit'],
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ ms: performance.now() - started, code }))
    child.stdin.end(input ?? '')
  })
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
const describe = (label: string, ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b)
  console.log(
    `${label.padEnd(34)} min ${s[0]!.toFixed(0).padStart(4)} ms  median ${pct(s, 0.5).toFixed(0).padStart(4)} ms  p90 ${pct(s, 0.9).toFixed(0).padStart(4)} ms`,
  )
}

// One unmeasured run of each, so the file cache is warm as it is on a mail server.
await timed(['-e', '0'], undefined)
await timed(['bin/switchboard.js', 'mail:pipe'], message(-1, run))
const node: number[] = []
const pipe: number[] = []
const uncached: number[] = []
// The V8 code cache bin/codeCache.js keeps beside the bundle: removed before each "without" run (then written
// again at its exit), so both are measured in one run on the same machine.
const cache = join(SERVER_DIST, 'mail-pipe.cjs.cache')
const pipeOnce = async (i: number) => {
  const r = await timed(
    ['bin/switchboard.js', 'mail:pipe', '--recipient', 'support@example.com'],
    message(i, run),
  )
  if (r.code !== 0) throw new Error(`mail:pipe exited ${r.code}`)
  return r.ms
}
for (let i = 0; i < runs; i++) {
  node.push((await timed(['-e', '0'], undefined)).ms)
  pipe.push(await pipeOnce(i))
  rmSync(cache, { force: true })
  uncached.push(await pipeOnce(runs + i))
}
console.log(`mail:pipe start to exit, one message each, ${runs} runs (database ${url.split(':')[0]}):`)
describe('node -e 0 (the floor)', node)
describe('switchboard mail:pipe (compiled)', pipe)
describe('  the same without the code cache', uncached)
console.log(`  machine: ${machine()}`)
