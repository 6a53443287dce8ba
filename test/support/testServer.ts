// Starts the real server on a real database for a test file: a fresh SQLite file, or a fresh schema in the
// PostgreSQL named by TEST_DATABASE_URL. Each test file gets its own database, so files run in parallel.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { createApp, type App } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { openDatabase } from '../../src/db/connection.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { OutboxDrainer } from '../../src/jobs/outboxDrainer.ts'
import { WebhookDeliverer, type Resolve } from '../../src/jobs/webhookDelivery.ts'
import { listenForRealtime } from '../../src/realtime/fanout.ts'
import { seedDemo, seedEssentials } from '../../src/seed/demo.ts'
import { closeHttp } from '../../src/httpShutdown.ts'
import { buildServer } from '../../src/server.ts'

export type DatabaseKind = 'sqlite' | 'postgres'

/** Tests store IMAP mailboxes, whose passwords need SECRET_KEY; a test may still set its own or none. */
export const TEST_SECRET_KEY = 'test-secret-key-of-at-least-32-characters'
const withTestSecretKey = (config: Config): Config => ({
  ...config,
  secretKey: config.secretKey ?? TEST_SECRET_KEY,
})

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI always sets it). */
export const DATABASES: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

export interface TestServer {
  app: App
  server: FastifyInstance
  url: string
  databaseUrl: string
  /** Waits until every outbox row due now has been delivered. */
  settle(): Promise<void>
  /** The webhook deliverer; it runs only when a test calls it (deliverWebhooks), so clocks stay in hand. */
  webhooks: WebhookDeliverer
  /** Settles the outbox, then sends every webhook delivery due now; returns how many were attempted. */
  deliverWebhooks(): Promise<number>
  close(): Promise<void>
}

/** A database URL of its own: a temp SQLite file, or a new PostgreSQL schema. */
export async function scratchDatabaseUrl(
  kind: DatabaseKind,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'))
    return {
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DATABASE_URL is not set')
  const schema = `t_${randomBytes(6).toString('hex')}`
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

export async function startServer(
  kind: DatabaseKind,
  options: {
    demo?: boolean
    clock?: { now(): number }
    config?: Partial<Config>
    env?: Record<string, string>
    queryTimeoutMs?: number
    /** Start on this existing database (already migrated and seeded) and leave it in place on close. */
    databaseUrl?: string
    /** How the webhook deliverer resolves host names (default: the system's resolver). */
    resolve?: Resolve
  } = {},
): Promise<TestServer> {
  const scratch = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await scratchDatabaseUrl(kind)
  const db = openDatabase(
    scratch.url,
    options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {},
  )
  await migrateToLatest(db)
  const at = Date.now()
  if (options.databaseUrl) {
    // an existing desk: nothing to seed
  } else if (options.demo ?? true) await seedDemo(db.writer, at)
  else await seedEssentials(db.writer, at)
  const app = await createApp(
    { ...withTestSecretKey(loadConfig(options.env ?? {})), ...options.config, databaseUrl: scratch.url },
    db,
    options.clock,
  )
  const server = await buildServer(app)
  const drainer = new OutboxDrainer(app)
  const webhooks = new WebhookDeliverer(app, options.resolve ? { resolve: options.resolve } : {})
  drainer.start()
  const stopListening = listenForRealtime(app, scratch.url)
  await server.listen({ port: 0, host: '127.0.0.1' })
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const self: TestServer = {
    app,
    server,
    url: `http://127.0.0.1:${port}`,
    databaseUrl: scratch.url,
    webhooks,
    async deliverWebhooks() {
      await self.settle()
      return webhooks.runDue()
    },
    async settle() {
      for (let i = 0; i < 200; i++) {
        await drainer.whenIdle()
        await drainer.drain()
        const due = await app.db.read
          .selectFrom('outbox')
          .select('id')
          .where('dead_at', 'is', null)
          .where('available_at', '<=', app.clock.now())
          .executeTakeFirst()
        if (!due) return
        await new Promise((r) => setTimeout(r, 10))
      }
      throw new Error('the outbox did not drain')
    },
    async close() {
      // The same stop as the real server's: fetch leaves connections it opened ahead of use and never sent on.
      await closeHttp(server, 1_000)
      await stopListening()
      await drainer.stop()
      await webhooks.stop()
      await db.close()
      await scratch.drop()
    },
  }
  return self
}
