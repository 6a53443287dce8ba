// The `switchboard` command line. `npx switchboard help` lists the commands.
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from './config.ts'
import { openDatabase, type Database } from './db/connection.ts'
import { closeHttp } from './httpShutdown.ts'

// Every subcommand imports what it needs when it runs (`await import` below), so that, compiled, each loads
// only its own chunk: `migrate` never loads Fastify, `serve` never loads the seed data.

const HELP = `switchboard <command>

  start                 build the web app if needed, migrate, load the demo data into an empty database (unless
                        SWITCHBOARD_DEMO=off), serve
  serve [--role web|worker]
                        serve the API and web app (HTTP) with the background worker; --role runs only one
                        of them, to scale each out on PostgreSQL
  migrate               bring the database schema up to date
  seed --demo           load the demo departments and people (idempotent)
  seed --synthetic N [--customers M] [--seed S] [--force]
                        add N realistic tickets (and M customers, default N/10) for benchmarks and demos;
                        refuses a database with tickets it did not make unless --force
  admin:create --email E --name N [--password P]
                        create an admin; without --password one is generated and printed
  mail:pipe [--recipient ADDRESS]
                        file one RFC 822 message from stdin (for an MTA pipe); exits 0, 65, 67, 75 or 77
  backup --to FILE       a consistent copy of the database while the server runs (SQLite: online backup;
                        PostgreSQL: pg_dump, custom format)
  restore --from FILE   put a backup back (SQLite: with the server stopped, keeping the replaced file;
                        PostgreSQL: pg_restore); see docs/operations.md
  import osticket --from mysql://user:pass@host:3306/db [--prefix ost_] [--dry-run]
                        bring an osTicket help desk over (again: only what is new or changed); see
                        docs/import.md. Exits 0 done, 2 bad arguments, 3 source unreadable, 4 partly imported
  apikey:create --name N --scopes tickets:create[,tasks:cron] [--ips 10.0.0.0/8,192.0.2.7]
                        create an API key; the key is printed on the last line, once

Configuration (environment): DATABASE_URL (sqlite:<path> or postgres://…; default sqlite:data/switchboard.db),
PORT (8080), HOST (127.0.0.1), SWITCHBOARD_DEMO (on), LOG_LEVEL (info). Mail: SMTP_LISTEN_PORT, SMTP_URL,
MAIL_FROM, PUBLIC_URL; see docs/email.md.`

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = openDatabase(config.databaseUrl)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

async function migrate(db: Database): Promise<void> {
  const { migrateToLatest } = await import('./db/migrate.ts')
  const { seedEssentials } = await import('./seed/demo.ts')
  const applied = await migrateToLatest(db)
  await seedEssentials(db.writer, Date.now())
  if (applied.length > 0) console.log(`migrated: ${applied.join(', ')}`)
}

async function printDemoSignIns(): Promise<void> {
  const { DEMO_ADMIN, DEMO_AGENTS, DEMO_CUSTOMERS, DEMO_PASSWORD } = await import('./seed/demo.ts')
  console.log('Demo data loaded. Sign in with any of these (password: %s):', DEMO_PASSWORD)
  for (const a of DEMO_AGENTS) console.log(`  agent     ${a.email.padEnd(20)} ${a.name}, ${a.department}`)
  console.log(`  admin     ${DEMO_ADMIN.email}`)
  for (const c of DEMO_CUSTOMERS) console.log(`  customer  ${c.email.padEnd(20)} ${c.name}`)
  console.log('Turn this off for production with SWITCHBOARD_DEMO=off.')
}

type Role = 'all' | 'web' | 'worker'

function roleFrom(args: string[]): Role {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } } })
  if (values.role === 'all' || values.role === 'web' || values.role === 'worker') return values.role
  throw new UsageError('--role must be web, worker or all')
}

/** How long a stop may take before the process exits anyway (service managers kill after 10 s or more). */
const STOP_DEADLINE_MS = 9_000

/** Requests in progress get this long to finish before their connections are closed under them. */
const REQUEST_GRACE_MS = 5_000

/** `web` answers HTTP, `worker` delivers the outbox; one process does both unless told otherwise. */
async function serve(config: Config, db: Database, role: Role): Promise<void> {
  handleStopSignals()
  const { createApp } = await import('./app.ts')
  const { OutboxDrainer } = await import('./jobs/outboxDrainer.ts')
  const { Scheduler } = await import('./jobs/scheduler.ts')
  const { listenForRealtime } = await import('./realtime/fanout.ts')
  const app = await createApp(config, db)
  const drainer = role === 'web' ? undefined : new OutboxDrainer(app)
  // Webhook deliveries (issue 18) are the worker's too: fanned out from the outbox, then sent with retries.
  const { WebhookDeliverer } = await import('./jobs/webhookDelivery.ts')
  const { fanOutWebhooks } = await import('./jobs/webhookFanout.ts')
  const { WEBHOOK_FANOUT_TOPIC } = await import('./domain/webhooks.ts')
  const deliverer = role === 'web' ? undefined : new WebhookDeliverer(app)
  if (drainer && deliverer)
    drainer.on(WEBHOOK_FANOUT_TOPIC, (payload) =>
      fanOutWebhooks(app, payload as Parameters<typeof fanOutWebhooks>[1], () => deliverer.poke()),
    )
  drainer?.start()
  deliverer?.start()
  // SLA, snooze and auto-close sweeps (issue 5) run with the outbox drainer, in the worker role.
  const scheduler = role === 'web' ? undefined : new Scheduler(app)
  scheduler?.start()
  const { buildServer } = await import('./server.ts')
  const server = role === 'worker' ? undefined : await buildServer(app, { logger: true })
  const stopListening = server ? listenForRealtime(app, config.databaseUrl) : async () => {}
  if (server) {
    await server.listen({ port: config.port, host: config.host })
    console.log(`Switchboard is listening on http://${config.host}:${config.port} (database: ${db.dialect})`)
  } else {
    console.log(`Switchboard worker is running (database: ${db.dialect})`)
  }
  if (!config.mail.smtpUrl && role !== 'web') {
    // Out of the box there is no mail server: say so, rather than promise links that never arrive.
    console.log(
      `Mail is NOT delivered: SMTP_URL is not set. Outgoing mail (password resets, ticket links, ticket mail) ` +
        `is kept for admins under Admin › Mail preview: ${config.mail.publicUrl}/admin/mail-preview`,
    )
  }
  // Mail intake (SMTP listener, IMAP polling, retries of stored messages) belongs to the worker role.
  const { startMailWorker } = await import('./jobs/mailWorker.ts')
  const mail = role === 'web' ? undefined : await startMailWorker(app, { inbound: true })
  if (mail?.smtp) console.log(`Accepting mail by SMTP on ${config.mail.listenHost}:${mail.smtp.port}`)
  let stopping = false
  // SIGTERM (systemd, docker, `kill`) and SIGINT (Ctrl-C; also what Windows services and NSSM send as
  // Ctrl-C): stop taking work, finish what was taken, close the database, exit 0. A second signal (Ctrl-C in
  // a terminal reaches both npm and us) changes nothing; the deadline bounds a stop that hangs.
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`Switchboard is stopping (${signal}): finishing requests and deliveries in progress…`)
    setTimeout(() => {
      console.error(`Switchboard did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway.`)
      process.exit(1)
    }, STOP_DEADLINE_MS).unref()
    try {
      if (server) await closeHttp(server, REQUEST_GRACE_MS)
      await scheduler?.stop()
      // The delivery under way (one email, one webhook) finishes; the rest stays in the outbox for the next
      // start or another worker: none is lost, none is cut off halfway.
      await drainer?.stop()
      await deliverer?.stop()
      await mail?.close()
      await stopListening()
      await db.close()
    } catch (error) {
      console.error('Switchboard: error while stopping', error)
      process.exit(1)
    }
    console.log('Switchboard stopped.')
    process.exit(0)
  }
  stopWith = (signal) => void stop(signal)
  if (stopRequested) stopWith(stopRequested)
}

/** Set once `serve` can stop cleanly; a signal that comes earlier (during start-up) waits for it. */
let stopWith: ((signal: string) => void) | undefined
let stopRequested: string | undefined
function requestStop(signal: string): void {
  if (stopWith) stopWith(signal)
  else stopRequested ??= signal
}

function handleStopSignals(): void {
  process.on('SIGINT', () => requestStop('SIGINT'))
  process.on('SIGTERM', () => requestStop('SIGTERM'))
  // `npm start` runs us under `sh -c`; npm passes SIGTERM to that shell, which dies of it without passing it
  // on, and we were left running, orphaned. Under npm, a parent gone away means "stop".
  if (process.env.npm_lifecycle_event) {
    setInterval(() => {
      if (process.ppid !== PARENT) requestStop('npm stopped')
    }, 250).unref()
  }
}
const PARENT = process.ppid

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  const config = loadConfig()
  switch (command) {
    case 'start': {
      const { ensureWebBuilt } = await import('./webApp.ts')
      ensureWebBuilt()
      const db = openDatabase(config.databaseUrl)
      await migrate(db)
      const { isEmpty, seedDemo } = await import('./seed/demo.ts')
      if (config.demoOnEmpty && (await isEmpty(db.writer))) {
        await seedDemo(db.writer, Date.now())
        await printDemoSignIns()
      }
      await serve(config, db, roleFrom(rest))
      return
    }
    case 'serve': {
      const role = roleFrom(rest)
      await serve(config, openDatabase(config.databaseUrl), role)
      return
    }
    case 'migrate':
      await withDatabase(config, migrate)
      return
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: {
          demo: { type: 'boolean' },
          synthetic: { type: 'string' },
          customers: { type: 'string' },
          seed: { type: 'string' },
          force: { type: 'boolean' },
        },
      })
      if (values.synthetic !== undefined) {
        await seedSyntheticCommand(config, values)
        return
      }
      if (!values.demo) throw new UsageError('seed needs --demo or --synthetic N')
      const { seedDemo } = await import('./seed/demo.ts')
      await withDatabase(config, async (db) => {
        await migrate(db)
        await seedDemo(db.writer, Date.now())
      })
      await printDemoSignIns()
      return
    }
    case 'admin:create': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
      })
      if (!values.email || !values.name) throw new UsageError('admin:create needs --email and --name')
      const { randomBytes } = await import('node:crypto')
      const { hashPassword } = await import('./commands/auth.ts')
      const { ensureUser } = await import('./seed/demo.ts')
      const password = values.password ?? randomBytes(12).toString('base64url')
      await withDatabase(config, async (db) => {
        await migrate(db)
        const email = values.email!.toLowerCase()
        const existing = await db.writer
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirst()
        if (existing) throw new UsageError(`${email} already has an account`)
        await ensureUser(
          db.writer,
          {
            name: values.name!,
            email,
            type: 'agent',
            isAdmin: true,
            passwordHash: await hashPassword(password),
          },
          Date.now(),
        )
      })
      console.log(`Admin ${values.email} created.`)
      if (!values.password) console.log(`Password: ${password}`)
      return
    }
    case 'mail:pipe': {
      // The build runs dist/server/mail-pipe.cjs for this instead (see bin/switchboard.js); same function.
      const { mailPipeCommand } = await import('./mail/pipe.ts')
      process.exit(await mailPipeCommand(rest))
      return
    }
    case 'apikey:create': {
      const { CreateApiKey, createApiKey } = await import('./commands/apiKeys.ts')
      const { createApp } = await import('./app.ts')
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, scopes: { type: 'string' }, ips: { type: 'string' } },
      })
      const split = (v: string | undefined) =>
        (v ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      const input = CreateApiKey.safeParse({
        name: values.name,
        scopes: split(values.scopes),
        ...(values.ips ? { allowedIps: split(values.ips) } : {}),
      })
      if (!input.success)
        throw new UsageError(
          `apikey:create needs --name and --scopes tickets:create (${input.error.issues[0]?.message})`,
        )
      const created = await withDatabase(config, async (db) => {
        await migrate(db)
        return createApiKey(await createApp(config, db), input.data, null)
      })
      console.log(`API key ${created.id} "${input.data.name}" created. It is shown once; store it now:`)
      console.log(created.key)
      return
    }
    case 'import': {
      const { importCommand } = await import('./import/cli.ts')
      process.exit(
        await importCommand(rest, async () => {
          const db = openDatabase(config.databaseUrl)
          await migrate(db)
          return db
        }),
      )
      return
    }
    case 'backup':
    case 'restore': {
      const flag = command === 'backup' ? 'to' : 'from'
      const { values } = parseArgs({ args: rest, options: { [flag]: { type: 'string' } } })
      const file = values[flag]
      if (typeof file !== 'string' || !file) throw new UsageError(`${command} needs --${flag} FILE`)
      const { backup, restore, BackupError } = await import('./backup.ts')
      try {
        console.log(await (command === 'backup' ? backup : restore)(config.databaseUrl, file))
      } catch (error) {
        if (!(error instanceof BackupError)) throw error
        console.error(`switchboard ${command}: ${error.message}`)
        process.exit(error.exitCode)
      }
      return
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP)
      return
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

class UsageError extends Error {}

function count(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.replace(/_/g, ''))
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}`)
  return n
}

async function seedSyntheticCommand(
  config: Config,
  values: { synthetic?: string; customers?: string; seed?: string; force?: boolean },
): Promise<void> {
  const tickets = count(values.synthetic, '--synthetic', 1)!
  const customers = count(values.customers, '--customers', 1)
  const seed = count(values.seed, '--seed', 0)
  const { seedSynthetic, RealTicketsPresent } = await import('./seed/synthetic.ts')
  await withDatabase(config, async (db) => {
    await migrate(db)
    let shown = 0
    try {
      const summary = await seedSynthetic(db, {
        tickets,
        ...(customers !== undefined ? { customers } : {}),
        ...(seed !== undefined ? { seed } : {}),
        force: values.force ?? false,
        onProgress(done, total, ms) {
          if (done < total && ms - shown < 5000) return
          shown = ms
          const rate = Math.round(done / (ms / 1000))
          console.log(
            `  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} tickets, ${rate.toLocaleString('en')}/s`,
          )
        },
      })
      const s = summary.elapsedMs / 1000
      console.log(
        `Seeded ${summary.tickets.toLocaleString('en')} tickets (${summary.entries.toLocaleString('en')} thread entries, ` +
          `${summary.events.toLocaleString('en')} events), ${summary.customers.toLocaleString('en')} customers and ` +
          `${summary.agents} agents in ${s.toFixed(1)} s: ${Math.round(summary.tickets / s).toLocaleString('en')} tickets/s ` +
          `(${db.dialect}, indexes and statistics included).`,
      )
    } catch (error) {
      if (error instanceof RealTicketsPresent) throw new UsageError(error.message)
      throw error
    }
  })
  await printDemoSignIns()
  console.log(`The other agents have the same password; their addresses end in @agents.example.`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`switchboard: ${error.message}\n\n${HELP}`)
    process.exit(64)
  }
  console.error(error)
  process.exit(1)
})
