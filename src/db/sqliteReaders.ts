// Reads that can be slow (queue lists, searches, counts) run on SQLite in a small pool of worker threads, each
// with its own read-only connection, so that better-sqlite3, which runs a query to its end on the thread that
// asked, never holds up the event loop: /healthz and a ticket view answer while a search runs. A read that
// passes the time limit answers 503 `query_timeout`; its worker is terminated and replaced.
//
// better-sqlite3 cannot interrupt a statement, so a terminated worker's thread stops when the statement
// returns to JavaScript (its next row, or the end): the time is lost on that thread, never on the server's.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely'

/** Raised when a read passes its time limit (availability.ts answers it with 503). */
export class QueryTimeout extends Error {
  readonly code = 'QUERY_TIMEOUT'
  constructor(readonly limitMs: number) {
    super(`the query took longer than ${limitMs} ms and was stopped`)
  }
}

// Plain JavaScript, run with `eval` so that the worker needs no file of its own in the build or under tsx.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const SQLite = require(workerData.driver)
const db = new SQLite(workerData.path, { readonly: true, fileMustExist: true })
db.pragma('busy_timeout = 5000')
const statements = new Map()
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let stmt = statements.get(sql)
    if (!stmt) {
      stmt = db.prepare(sql)
      if (statements.size > 200) statements.clear()
      statements.set(sql, stmt)
    }
    const rows = stmt.reader ? stmt.all(...parameters) : (stmt.run(...parameters), [])
    parentPort.postMessage({ id, rows })
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } })
  }
})
`

interface Pending {
  sql: string
  parameters: readonly unknown[]
  resolve: (rows: unknown[]) => void
  reject: (error: unknown) => void
  timer: NodeJS.Timeout
}

class Reader {
  readonly worker: Worker
  readonly pending = new Map<number, Pending>()
  constructor(path: string, driver: string, onExit: (reader: Reader) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver } })
    this.worker.unref()
    this.worker.on(
      'message',
      (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
        const p = this.pending.get(m.id)
        if (!p) return
        this.pending.delete(m.id)
        clearTimeout(p.timer)
        if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }))
        else p.resolve(m.rows ?? [])
      },
    )
    const fail = (error: unknown) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer)
        p.reject(error)
      }
      this.pending.clear()
      onExit(this)
    }
    this.worker.on('error', fail)
    this.worker.on('exit', () => fail(new Error('the database reader stopped')))
  }
}

export class SqliteReaderPool {
  private readers: Reader[] = []
  private next = 0
  private ids = 0
  private closed = false
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3')

  constructor(
    private readonly path: string,
    private readonly size: number,
    readonly timeoutMs: number,
  ) {}

  run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the database is closed'))
    while (this.readers.length < this.size) this.readers.push(this.spawn())
    // The reader with the fewest reads waiting (round robin among equals).
    this.next = (this.next + 1) % this.readers.length
    let reader = this.readers[this.next]!
    for (const r of this.readers) if (r.pending.size < reader.pending.size) reader = r
    const id = ++this.ids
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reader.pending.delete(id)
        reject(new QueryTimeout(this.timeoutMs))
        // Everything else queued on that reader waits behind the runaway statement: it moves to a new reader.
        this.replace(reader)
      }, this.timeoutMs)
      reader.pending.set(id, { sql, parameters, resolve, reject, timer })
      reader.worker.postMessage({ id, sql, parameters })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const readers = this.readers
    this.readers = []
    await Promise.all(readers.map((r) => r.worker.terminate()))
  }

  private spawn(): Reader {
    return new Reader(this.path, this.driver, (r) => {
      this.readers = this.readers.filter((x) => x !== r)
    })
  }

  private replace(reader: Reader): void {
    this.readers = this.readers.filter((x) => x !== reader)
    const waiting = [...reader.pending.values()]
    reader.pending.clear()
    void reader.worker.terminate()
    for (const p of waiting) {
      clearTimeout(p.timer)
      this.run(p.sql, p.parameters).then(p.resolve, p.reject)
    }
  }
}

/** A Kysely dialect whose every query runs on the reader pool: reads only, no transactions. */
export function readerDialect(pool: SqliteReaderPool): Dialect {
  const connection: DatabaseConnection = {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      return { rows: (await pool.run(compiled.sql, compiled.parameters)) as R[] }
    },
    // eslint-disable-next-line require-yield
    async *streamQuery() {
      throw new Error('the reader pool does not stream')
    },
  }
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: () => Promise.reject(new Error('the reader pool runs no transactions')),
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: () => pool.close(),
  }
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  }
}
