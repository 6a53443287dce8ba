// The `switchboard` command line. `npx switchboard help` lists the commands.
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { createApp } from './app.ts'
import { hashPassword } from './commands/auth.ts'
import { loadConfig, type Config } from './config.ts'
import { openDatabase, type Database } from './db/connection.ts'
import { migrateToLatest } from './db/migrate.ts'
import { OutboxDrainer } from './jobs/outboxDrainer.ts'
import { listenForRealtime } from './realtime/fanout.ts'
import {
  DEMO_ADMIN,
  DEMO_AGENTS,
  DEMO_CUSTOMERS,
  DEMO_PASSWORD,
  ensureUser,
  isEmpty,
  seedDemo,
  seedEssentials,
} from './seed/demo.ts'
import { buildServer } from './server.ts'
import { ensureWebBuilt } from './webApp.ts'

const HELP = `switchboard <command>

  start                 build the web app if needed, migrate, load the demo data into an empty database (unless
                        SWITCHBOARD_DEMO=off), serve
  serve [--role web|worker]
                        serve the API and web app (HTTP) with the background worker; --role runs only one
                        of them, to scale each out on PostgreSQL
  migrate               bring the database schema up to date
  seed --demo           load the demo departments and people (idempotent)
  admin:create --email E --name N [--password P]
                        create an admin; without --password one is generated and printed

Configuration (environment): DATABASE_URL (sqlite:<path> or postgres://…; default sqlite:data/switchboard.db),
PORT (8080), HOST (127.0.0.1), SWITCHBOARD_DEMO (on), LOG_LEVEL (info).`

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = openDatabase(config.databaseUrl)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

async function migrate(db: Database): Promise<void> {
  const applied = await migrateToLatest(db)
  await seedEssentials(db.writer, Date.now())
  if (applied.length > 0) console.log(`migrated: ${applied.join(', ')}`)
}

function printDemoSignIns(): void {
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

/** `web` answers HTTP, `worker` delivers the outbox; one process does both unless told otherwise. */
async function serve(config: Config, db: Database, role: Role): Promise<void> {
  const app = await createApp(config, db)
  const drainer = role === 'web' ? undefined : new OutboxDrainer(app)
  drainer?.start()
  const server = role === 'worker' ? undefined : await buildServer(app, { logger: true })
  const stopListening = server ? listenForRealtime(app, config.databaseUrl) : async () => {}
  if (server) {
    await server.listen({ port: config.port, host: config.host })
    console.log(`Switchboard is listening on http://${config.host}:${config.port} (database: ${db.dialect})`)
  } else {
    console.log(`Switchboard worker is running (database: ${db.dialect})`)
  }
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server?.close()
    await stopListening()
    await drainer?.stop()
    await db.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  const config = loadConfig()
  switch (command) {
    case 'start': {
      ensureWebBuilt()
      const db = openDatabase(config.databaseUrl)
      await migrate(db)
      if (config.demoOnEmpty && (await isEmpty(db.writer))) {
        await seedDemo(db.writer, Date.now())
        printDemoSignIns()
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
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } })
      if (!values.demo) throw new UsageError('seed needs --demo (the only dataset there is)')
      await withDatabase(config, async (db) => {
        await migrate(db)
        await seedDemo(db.writer, Date.now())
      })
      printDemoSignIns()
      return
    }
    case 'admin:create': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
      })
      if (!values.email || !values.name) throw new UsageError('admin:create needs --email and --name')
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

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`switchboard: ${error.message}\n\n${HELP}`)
    process.exit(64)
  }
  console.error(error)
  process.exit(1)
})
