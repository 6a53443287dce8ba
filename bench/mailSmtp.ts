// Messages per second through the SMTP listener: accepted (250 after the raw message is committed) and
// filed (ticket committed), and the listener's CPU per message. The sending client (nodemailer) runs in a
// child process, so the CPU figure is the server's alone (parse, store, thread, create the ticket).
// Usage: node bin/run-ts.js bench/mailSmtp.ts [messages=1000] [connections=4]
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import nodemailer from 'nodemailer'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { startSmtpListener } from '../src/mail/smtpListener.ts'
import { benchDatabase, machine, message } from './mailShared.ts'

/** The client half: sends `total` messages over `connections` pooled connections, then says so. */
async function send(port: number, total: number, connections: number, run: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
    ignoreTLS: true,
  })
  let next = 0
  await Promise.all(
    Array.from({ length: connections * 2 }, async () => {
      while (next < total) {
        const i = next++
        await transport.sendMail({
          envelope: { from: `customer${i % 50}@bench.example`, to: ['support@example.com'] },
          raw: message(i, run),
        })
      }
    }),
  )
  transport.close()
}

if (process.env.MAIL_SMTP_CLIENT) {
  const [port, total, connections, run] = JSON.parse(process.env.MAIL_SMTP_CLIENT) as [
    number,
    number,
    number,
    string,
  ]
  await send(port, total, connections, run)
  process.exit(0)
}

const total = Number(process.argv[2] ?? 1000)
const connections = Number(process.argv[3] ?? 4)
const url = await benchDatabase()
const run = Date.now().toString(36)
const config = loadConfig({ ...process.env, DATABASE_URL: url, SMTP_URL: '' })
config.mail.senderHourlyLimit = Number.MAX_SAFE_INTEGER
const db = openDatabase(url)
const app = await createApp(config, db)
const listener = await startSmtpListener(app, 0, '127.0.0.1')

/** Sends `count` messages from a child process; resolves when the last one was accepted. */
const client = (count: number, tag: string) =>
  new Promise<void>((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)),
      [fileURLToPath(import.meta.url)],
      {
        env: { ...process.env, MAIL_SMTP_CLIENT: JSON.stringify([listener.port, count, connections, tag]) },
      },
    )
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client exited ${code}`))))
  })

// A first round warms the listener (modules loaded, statements prepared, JIT), as a server that has been up.
await client(Math.min(100, total), `${run}w`)
await listener.idle()

const cpuBefore = process.cpuUsage()
const started = performance.now()
await client(total, run)
const accepted = (performance.now() - started) / 1000
await listener.idle()
const filed = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuBefore)
const tickets = await db.read
  .selectFrom('tickets')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow()
const perMessage = (cpu.user + cpu.system) / 1000 / total
console.log(
  `SMTP listener: ${total} messages accepted in ${accepted.toFixed(2)} s = ${(total / accepted).toFixed(0)} messages/s`,
)
console.log(
  `  filed as tickets in ${filed.toFixed(2)} s = ${(total / filed).toFixed(0)} messages/s (${Number(tickets.n)} tickets)`,
)
console.log(
  `  server CPU: ${perMessage.toFixed(2)} ms per message (the client runs in its own process), ` +
    `so about ${Math.round(1000 / perMessage)} messages/s per free core`,
)
console.log(`  ${connections} SMTP connections, database ${url.split(':')[0]}`)
console.log(`  machine: ${machine()}`)
await listener.close()
await db.close()
