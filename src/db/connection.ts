import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import type PgModule from 'pg'
import { insertSearchRows, type Dialect, type SearchRow } from './dialect.ts'
import { readerDialect, SqliteReaderPool } from './sqliteReaders.ts'
import type { DB } from './schema.ts'

let pgModule: typeof PgModule | undefined
/**
 * The pg driver, loaded on first use: a SQLite install (and `mail:pipe`, which starts once per message) never
 * pays for loading it.
 */
export function loadPg(): typeof PgModule {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof PgModule
    // bigint (int8) columns hold epoch milliseconds and counts, which fit a JS number exactly.
    pgModule.types.setTypeParser(20, (v) => Number(v))
  }
  return pgModule
}

export interface Database {
  readonly dialect: Dialect
  /** For reads outside a transaction. On SQLite this is a second connection, so reads never queue behind a write. */
  readonly read: Kysely<DB>
  /**
   * For reads that can be slow (queue lists, searches, counts), stopped past QUERY_TIMEOUT_MS (503
   * `query_timeout`). On SQLite they run in reader worker threads (sqliteReaders.ts), so they never hold up the
   * event loop; on PostgreSQL on a pool of their own with `statement_timeout`.
   */
  readonly heavyRead: Kysely<DB>
  /**
   * Runs `fn` in a transaction and resolves after commit. On SQLite, calls that arrive while a commit is
   * under way are grouped into the next transaction, each in its own savepoint (group commit): one fsync
   * then acknowledges many writes, and a failing call rolls back only itself.
   */
  transact<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T>
  /**
   * Adds rows to the full-text index as part of `trx`'s transaction. On SQLite the rows of a group commit
   * are written together just before COMMIT, outside the per-caller savepoints: FTS5 flushes its pending
   * terms at every savepoint, so writing them in between made one index segment per caller, and made the
   * next statement of that caller several times slower. PostgreSQL indexes generated columns: a no-op.
   */
  indexForSearch(trx: Kysely<DB>, rows: SearchRow[]): Promise<void>
  /** Called after every successful commit (the outbox drainer listens, so delivery starts at once). */
  onCommit(listener: () => void): void
  /**
   * Resolves when the database can serve. Rejects with the reason when it cannot: PostgreSQL unreachable, or
   * on SQLite, the last write failed for want of disk space and none has succeeded since.
   */
  ping(): Promise<void>
  close(): Promise<void>
  /** The database a migration or seed should use (the writer). */
  readonly writer: Kysely<DB>
}

export interface DatabaseOptions {
  /** How long a heavy read may take before it is stopped (default QUERY_TIMEOUT_MS, else 5 s). */
  queryTimeoutMs?: number
}

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  const timeoutMs = options.queryTimeoutMs ?? queryTimeoutMs()
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, timeoutMs)
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), timeoutMs)
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`)
}

/** How long a heavy read may take before it is stopped. */
function queryTimeoutMs(): number {
  const ms = Number(process.env.QUERY_TIMEOUT_MS ?? 5000)
  if (!Number.isInteger(ms) || ms < 1)
    throw new Error('QUERY_TIMEOUT_MS must be a whole number of milliseconds')
  return ms
}

function openSqlite(path: string, timeoutMs: number): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const synchronous = process.env.SQLITE_SYNCHRONOUS ?? 'FULL'
  if (!/^(OFF|NORMAL|FULL|EXTRA)$/i.test(synchronous))
    throw new Error('SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA')
  const connect = (readonly: boolean): SQLite.Database => {
    const conn = new SQLite(path, { fileMustExist: readonly })
    conn.pragma('journal_mode = WAL')
    conn.pragma(`synchronous = ${synchronous}`)
    // Another process (mail:pipe, a CLI command) may hold the write lock for a moment; wait, don't fail.
    conn.pragma('busy_timeout = 5000')
    conn.pragma('foreign_keys = ON')
    // Savepoints (one per caller in a group commit) copy each page they first change to a sub-journal,
    // which otherwise spills to a temporary file after 16 pages: a ticket insert cost 60 µs instead of 19.
    conn.pragma('temp_store = MEMORY')
    return conn
  }
  const writerConn = connect(false)
  const writer = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(writerConn) }) })
  let readerConn: SQLite.Database | undefined
  const read = new Kysely<DB>({
    dialect: new SqliteDialect({
      database: async () => cachingStatements((readerConn ??= connect(false))),
    }),
  })

  // An in-memory database exists only on this connection: there, heavy reads stay on the reader connection
  // (as they do with SQLITE_READERS=0).
  const readers = Number(process.env.SQLITE_READERS ?? 2)
  const heavyRead =
    path === ':memory:' || readers === 0
      ? read
      : new Kysely<DB>({
          dialect: readerDialect(new SqliteReaderPool(path, readers, timeoutMs)),
        })

  const listeners: (() => void)[] = []
  type Job = {
    fn: (trx: Kysely<DB>) => Promise<unknown>
    resolve: (v: unknown) => void
    reject: (e: unknown) => void
  }
  let queue: Job[] = []
  let draining = false
  /** The SQLITE_FULL of the last write, until a commit succeeds again (reported by ping, so by /healthz). */
  let storageFull: unknown
  /** Search rows of the job running now (undefined outside a group commit). */
  let jobSearchRows: SearchRow[] | undefined

  async function drain(): Promise<void> {
    draining = true
    try {
      while (queue.length > 0) {
        const batch = queue
        queue = []
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = []
        const searchRows: SearchRow[] = []
        try {
          await writer.connection().execute(async (conn) => {
            await sql`begin immediate`.execute(conn)
            try {
              for (const job of batch) {
                await sql`savepoint job`.execute(conn)
                const rows: SearchRow[] = (jobSearchRows = [])
                try {
                  outcomes.push({ ok: true, value: await job.fn(conn) })
                  await sql`release job`.execute(conn)
                  searchRows.push(...rows)
                } catch (error) {
                  // SQLITE_FULL (and a few I/O errors) may have rolled back the whole transaction already:
                  // then there is no savepoint to return to, and the batch fails with this error.
                  if (!writerConn.inTransaction) throw error
                  await sql`rollback to job`.execute(conn)
                  await sql`release job`.execute(conn)
                  if (isStorageFull(error)) storageFull = error
                  outcomes.push({ ok: false, error })
                } finally {
                  jobSearchRows = undefined
                }
              }
              await insertSearchRows(conn, searchRows)
              await sql`commit`.execute(conn)
            } catch (error) {
              if (writerConn.inTransaction) await sql`rollback`.execute(conn)
              throw error
            }
          })
        } catch (error) {
          if (isStorageFull(error)) storageFull = error
          for (const job of batch) job.reject(error)
          continue
        }
        storageFull = outcomes.find((o) => !o.ok && isStorageFull(o.error)) ? storageFull : undefined
        batch.forEach((job, i) => {
          const outcome = outcomes[i]!
          if (outcome.ok) job.resolve(outcome.value)
          else job.reject(outcome.error)
        })
        if (outcomes.some((o) => o.ok)) for (const l of listeners) l()
      }
    } finally {
      draining = false
    }
  }

  return {
    dialect: 'sqlite',
    read,
    heavyRead,
    writer,
    transact<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject })
        if (!draining) {
          draining = true
          // Start on the next turn of the event loop, so requests that arrived together commit together.
          setImmediate(() => void drain())
        }
      })
    },
    async indexForSearch(trx, rows) {
      if (jobSearchRows) jobSearchRows.push(...rows)
      else await insertSearchRows(trx, rows)
    },
    onCommit: (l) => listeners.push(l),
    async ping() {
      await sql`select 1`.execute(read)
      if (storageFull) throw storageFull
    },
    async close() {
      await writer.destroy()
      await read.destroy()
      if (heavyRead !== read) await heavyRead.destroy()
    },
  }
}

const isStorageFull = (error: unknown) => (error as { code?: unknown } | null)?.code === 'SQLITE_FULL'

/**
 * Kysely prepares every statement anew; preparing costs as much as running a small insert. The same SQL text
 * always gets the same prepared statement here (bounded, least recently used dropped first).
 */
function cachingStatements(conn: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>()
  const prepare = (source: string): SQLite.Statement => {
    let stmt = cache.get(source)
    if (stmt) {
      cache.delete(source)
    } else {
      stmt = conn.prepare(source)
      if (cache.size >= 500) cache.delete(cache.keys().next().value!)
    }
    cache.set(source, stmt)
    return stmt
  }
  return new Proxy(conn, {
    get(target, key, receiver) {
      if (key === 'prepare') return prepare
      const value: unknown = Reflect.get(target, key, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

const RETRYABLE_PG_CODES = new Set(['40001', '40P01'])

function openPostgres(url: string, timeout: number): Database {
  const pg = loadPg()
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.PG_POOL_SIZE ?? 16),
    connectionTimeoutMillis: 5000,
  })
  // Said explicitly on every connection, so a server or role default of `off` cannot let a 2xx precede
  // durability (invariant 3). A client runs its queries in order, so this precedes any other query.
  pool.on('connect', (client) => {
    client.query('set synchronous_commit = on').catch(() => {})
    // A checked-out client whose connection drops (PostgreSQL restarting, a failover) emits 'error', and
    // the pool listens only while the client is idle: an unhandled 'error' event ended the process. The
    // query under way fails on its own (503 database_unavailable); the pool discards the broken client when
    // it is released, and opens a fresh one for the next query.
    client.on('error', () => {})
  })
  // An idle client losing its connection: the pool has already removed it.
  pool.on('error', (error) => console.error(`database: idle connection lost (${error.message})`))
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  // Heavy reads have connections of their own, so a burst of slow searches cannot take every connection the
  // writes need, and a time limit that PostgreSQL enforces (57014, answered 503 query_timeout).
  const heavyPool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.PG_HEAVY_POOL_SIZE ?? 4),
    connectionTimeoutMillis: 5000,
  })
  heavyPool.on('connect', (client) => {
    client.query(`set statement_timeout = ${timeout}`).catch(() => {})
    client.on('error', () => {})
  })
  heavyPool.on('error', (error) => console.error(`database: idle connection lost (${error.message})`))
  const heavyRead = new Kysely<DB>({ dialect: new PostgresDialect({ pool: heavyPool }) })
  const listeners: (() => void)[] = []
  return {
    dialect: 'postgres',
    read: db,
    heavyRead,
    writer: db,
    async transact<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await db.transaction().execute(fn)
          for (const l of listeners) l()
          return result
        } catch (error) {
          const code = (error as { code?: string }).code
          if (attempt < 3 && code && RETRYABLE_PG_CODES.has(code)) continue
          throw error
        }
      }
    },
    indexForSearch: () => Promise.resolve(),
    onCommit: (l) => listeners.push(l),
    async ping() {
      await sql`select 1`.execute(db)
    },
    async close() {
      await db.destroy()
      await heavyRead.destroy()
    },
  }
}
