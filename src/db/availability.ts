// Which database errors mean "the database cannot serve right now" rather than "this request is wrong": a
// PostgreSQL that is restarting or unreachable, an SQLite file on a full disk. They answer 503 with
// Retry-After and a stable code, and the process keeps running: the pool reconnects by itself.
import { AppError } from '../errors.ts'

/** Retry-After for an unreachable database: about how long a PostgreSQL restart or failover takes. */
const RETRY_AFTER_S = '5'

// Node's socket errors, PostgreSQL's class 08 (connection exception) and 57P01-57P03 (shutting down,
// crash shutdown, cannot connect now), and 53300 (too many connections).
const PG_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|08...|57P0[123]|53300)$/
// pg's own errors carry no code, only these messages.
const PG_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not queryable|database system is (starting up|shutting down|in recovery)/i
// SQLite could not read or write its file (an I/O error, a vanished file); SQLITE_FULL is reported apart.
const SQLITE_CODES = /^(SQLITE_IOERR.*|SQLITE_CANTOPEN|SQLITE_READONLY_DBMOVED)$/

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

/**
 * An AppError (503) when `error` says the database is unreachable or out of space, or a heavy read passed its
 * time limit (our reader pool's QUERY_TIMEOUT, PostgreSQL's statement_timeout 57014); undefined otherwise.
 */
export function databaseUnavailable(error: unknown): AppError | undefined {
  const code = codeOf(error)
  const message = error instanceof Error ? error.message : ''
  if (code === 'QUERY_TIMEOUT' || code === '57014')
    return new AppError(
      'unavailable',
      'query_timeout',
      'This search or list took too long and was stopped. Narrow it (another word, a filter) and try again.',
      undefined,
      { 'retry-after': '2' },
    )
  if (code === 'SQLITE_FULL')
    return new AppError(
      'unavailable',
      'storage_full',
      'The database cannot grow: its disk is full. Nothing was saved; try again once space is freed.',
      undefined,
      { 'retry-after': '30' },
    )
  if (PG_CODES.test(code) || SQLITE_CODES.test(code) || (code === '' && PG_MESSAGES.test(message)))
    return new AppError(
      'unavailable',
      'database_unavailable',
      'The database is not reachable right now. Nothing was saved; try again in a few seconds.',
      undefined,
      { 'retry-after': RETRY_AFTER_S },
    )
  return undefined
}
