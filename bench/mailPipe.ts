// Messages per second through `switchboard mail:pipe`, one process per message as an MTA runs it.
// Usage: node bin/run-ts.js bench/mailPipe.ts [messages=40] [concurrency=2]
import { spawn } from 'node:child_process'
import { benchDatabase, machine, message } from './mailShared.ts'

const total = Number(process.argv[2] ?? 40)
const concurrency = Number(process.argv[3] ?? 2)
const url = await benchDatabase()
const run = Date.now().toString(36)

function pipeOne(i: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['bin/switchboard.js', 'mail:pipe', '--recipient', 'support@example.com'],
      {
        env: { ...process.env, DATABASE_URL: url, SMTP_URL: '', MAIL_SENDER_HOURLY_LIMIT: '1000000' },
        stdio: ['pipe', 'ignore', 'inherit'],
      },
    )
    child.on('error', reject)
    child.on('close', resolve)
    child.stdin.end(message(i, run))
  })
}

let next = 0
const codes: (number | null)[] = []
const started = performance.now()
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) codes.push(await pipeOne(next++))
  }),
)
const seconds = (performance.now() - started) / 1000
const ok = codes.filter((c) => c === 0).length
console.log(
  `mail:pipe: ${ok}/${total} accepted (exit 0) in ${seconds.toFixed(1)} s = ${(ok / seconds).toFixed(2)} messages/s`,
)
console.log(
  `  concurrency ${concurrency}, database ${url.split(':')[0]}; each message is a fresh process (the compiled dist/server/mail-pipe.js)`,
)
console.log(`  machine: ${machine()}`)
