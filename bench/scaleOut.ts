// Scale out on PostgreSQL (issue 15): ticket creation (concurrency 32) and the queue (concurrency 16) with one
// and with two web processes beside one worker, the load split evenly between them, and the ratio; then email
// intake through the worker's SMTP listener in messages per second, with the worker's CPU per message. On a
// 2-core machine the ratio is what counts (aim: 1.6×). Every process is the real `switchboard serve`.
//
// Run: createdb bench_scaleout && node bin/run-ts.js bench/scaleOut.ts --url postgres://…/bench_scaleout
//      [--seconds 15] [--messages 500]
import { parseArgs } from 'node:util'
import nodemailer from 'nodemailer'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { call, cpuMsOf, createLoad, loadLine, machineLine, runLoad, type LoadResult } from './benchHttp.ts'
import { signIn, startServer, type BenchServer } from './benchServer.ts'
import { message } from './mailShared.ts'

const { values: flags } = parseArgs({
  options: {
    url: { type: 'string' },
    seconds: { type: 'string', default: '15' },
    messages: { type: 'string', default: '500' },
  },
})
if (!flags.url) throw new Error('--url postgres://… is required (an empty database: createdb one)')
const databaseUrl = flags.url
const SECONDS = Number(flags.seconds)
const MESSAGES = Number(flags.messages)

const db = openDatabase(databaseUrl)
await migrateToLatest(db)
await seedDemo(db.writer, Date.now())
const env = { SWITCHBOARD_DEMO: 'off', SMTP_URL: '', MAIL_SENDER_HOURLY_LIMIT: '100000000' }
const started: BenchServer[] = []
const start = async (args: string[], extra: Record<string, string> = {}) => {
  const s = await startServer(databaseUrl, { ...env, ...extra }, args)
  started.push(s)
  return s
}

/** Creates and queue reads spread over the web processes at `urls`. */
async function round(urls: string[]): Promise<{ create: LoadResult; queue: LoadResult }> {
  const ken = await signIn(urls[0]!, 'ken@example.com')
  const john = await signIn(urls[0]!, 'john@example.com')
  const create = await createLoad(urls, ken, {
    concurrency: 32,
    seconds: SECONDS,
    label: `${urls.length}-${Date.now().toString(36)}`,
  })
  const queue = await runLoad(urls, { concurrency: 16, seconds: SECONDS, ok: 200 }, (url) =>
    call(url, john, '/api/v1/tickets?view=open'),
  )
  return { create, queue }
}

try {
  console.log(`PostgreSQL, ${databaseUrl.replace(/\/\/[^@]*@/, '//')}; ${machineLine()}`)
  // One worker in every round (it drains the outbox the creates fill), and the web processes under test.
  await start(['--role', 'worker'])
  const first = await start(['--role', 'web'])
  const one = await round([first.url])
  console.log(loadLine('1 web: create, concurrency 32', one.create, 'tickets'))
  console.log(loadLine('1 web: queue /tickets?view=open, concurrency 16', one.queue, 'requests'))
  const second = await start(['--role', 'web'])
  const two = await round([first.url, second.url])
  console.log(loadLine('2 web: create, concurrency 32', two.create, 'tickets'))
  console.log(loadLine('2 web: queue /tickets?view=open, concurrency 16', two.queue, 'requests'))
  console.log(
    `ratio two/one web processes: create ${(two.create.perSecond / one.create.perSecond).toFixed(2)}×, ` +
      `queue ${(two.queue.perSecond / one.queue.perSecond).toFixed(2)}× (aim 1.6×)`,
  )
  console.log(machineLine())

  // Email intake: a worker of its own with the SMTP listener, the web processes stopped.
  for (const s of started.splice(0)) s.stop()
  const smtpPort = 20_000 + Math.floor(Math.random() * 20_000)
  const mailWorker = await start(['--role', 'all'], { SMTP_LISTEN_PORT: String(smtpPort) })
  await new Promise((r) => setTimeout(r, 1000))
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
    ignoreTLS: true,
  })
  const run = Date.now().toString(36)
  const pending = async () =>
    Number(
      (
        await db.read
          .selectFrom('inbound_mail')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow()
      ).n,
    )
  const cpuBefore = await cpuMsOf(mailWorker.pid)
  const t0 = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < MESSAGES) {
        const i = next++
        await transport.sendMail({
          envelope: { from: `customer${i % 50}@bench.example`, to: ['support@example.com'] },
          raw: message(i, run),
        })
      }
    }),
  )
  const accepted = (performance.now() - t0) / 1000
  while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 50))
  const filed = (performance.now() - t0) / 1000
  const cpuAfter = await cpuMsOf(mailWorker.pid)
  transport.close()
  console.log(
    `SMTP intake: ${MESSAGES} messages accepted at ${(MESSAGES / accepted).toFixed(0)}/s, filed at ` +
      `${(MESSAGES / filed).toFixed(0)}/s` +
      (cpuBefore !== undefined && cpuAfter !== undefined
        ? `; the server's CPU ${((cpuAfter - cpuBefore) / MESSAGES).toFixed(2)} ms per message (its outbox included)`
        : ''),
  )
  console.log(machineLine())
} finally {
  for (const s of started) s.stop()
  await db.close()
}
