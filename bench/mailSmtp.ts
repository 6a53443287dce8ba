// Messages per second through the SMTP listener: accepted (250 after the raw message is committed) and
// filed (ticket committed). Usage: node bin/run-ts.js bench/mailSmtp.ts [messages=1000] [connections=4]
import nodemailer from 'nodemailer'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { startSmtpListener } from '../src/mail/smtpListener.ts'
import { benchDatabase, machine, message } from './mailShared.ts'

const total = Number(process.argv[2] ?? 1000)
const connections = Number(process.argv[3] ?? 4)
const url = await benchDatabase()
const run = Date.now().toString(36)
const config = loadConfig({ ...process.env, DATABASE_URL: url, SMTP_URL: '' })
config.mail.senderHourlyLimit = Number.MAX_SAFE_INTEGER
const db = openDatabase(url)
const app = await createApp(config, db)
const listener = await startSmtpListener(app, 0, '127.0.0.1')
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: listener.port,
  pool: true,
  maxConnections: connections,
  maxMessages: Infinity,
  ignoreTLS: true,
})

const cpuBefore = process.cpuUsage()
const started = performance.now()
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
const accepted = (performance.now() - started) / 1000
await listener.idle()
const filed = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuBefore)
const tickets = await db.read
  .selectFrom('tickets')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow()
console.log(
  `SMTP listener: ${total} messages accepted in ${accepted.toFixed(2)} s = ${(total / accepted).toFixed(0)} messages/s`,
)
console.log(
  `  filed as tickets in ${filed.toFixed(2)} s = ${(total / filed).toFixed(0)} messages/s (${Number(tickets.n)} tickets)`,
)
console.log(
  `  CPU: ${((cpu.user + cpu.system) / 1000 / total).toFixed(1)} ms per message (client and server, one process), ` +
    `so about ${Math.round((total * 1e6) / (cpu.user + cpu.system))} messages/s per free core`,
)
console.log(`  ${connections} SMTP connections, database ${url.split(':')[0]}`)
console.log(`  machine: ${machine()}`)
transport.close()
await listener.close()
await db.close()
