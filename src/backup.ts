// `switchboard backup --to FILE` and `switchboard restore --from FILE`. SQLite: SQLite's online backup API,
// a consistent copy while the server runs; restore only while nothing has the database open, and the database
// it replaces is kept beside it. PostgreSQL: pg_dump's custom format and pg_restore, run without a shell.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import SQLite from 'better-sqlite3'

export class BackupError extends Error {
  constructor(
    message: string,
    /** sysexits: 66 no input, 69 a tool is missing, 73 cannot create, 75 in use (try later). */
    readonly exitCode: number,
  ) {
    super(message)
  }
}

const sqlitePath = (url: string) => resolve(url.slice('sqlite:'.length))

/** What a backup holds, so the operator sees that it is the one they meant. */
function describeSqlite(file: string): string {
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const check = db.pragma('integrity_check', { simple: true })
    if (check !== 'ok') throw new BackupError(`${file} fails SQLite's integrity check: ${String(check)}`, 65)
    const has = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'tickets'").get()
    if (!has) throw new BackupError(`${file} is an SQLite database, but not a Switchboard one`, 65)
    const { n } = db.prepare('select count(*) as n from tickets').get() as { n: number }
    return `${n} tickets`
  } catch (error) {
    if (error instanceof BackupError) throw error
    throw new BackupError(`${file} is not a readable SQLite database (${(error as Error).message})`, 65)
  } finally {
    db.close()
  }
}

/** PostgreSQL's connection string for libpq tools, and the schema when the URL pins one (search_path). */
function pgTarget(url: string): { url: string; schema: string | undefined } {
  const parsed = new URL(url)
  const options = parsed.searchParams.get('options') ?? ''
  const schema = /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(options)?.[1]
  // URLSearchParams writes a space as '+', which libpq does not read as one.
  const query = parsed.searchParams.toString().replace(/\+/g, '%20')
  parsed.search = ''
  return { url: query ? `${parsed.toString()}?${query}` : parsed.toString(), schema }
}

function runTool(tool: string, args: string[]): void {
  const result = spawnSync(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new BackupError(
      `${tool} is not installed. Install the PostgreSQL client tools (Debian: apt install postgresql-client; ` +
        'Windows: the PostgreSQL installer) of the same major version as the server, or see docs/operations.md.',
      69,
    )
  if (result.status !== 0) throw new BackupError(`${tool} failed (exit ${String(result.status)})`, 70)
}

export async function backup(databaseUrl: string, to: string): Promise<string> {
  const target = resolve(to)
  if (existsSync(target)) throw new BackupError(`${target} exists already; choose a new file name`, 73)
  if (databaseUrl.startsWith('sqlite:')) {
    const source = sqlitePath(databaseUrl)
    if (!existsSync(source)) throw new BackupError(`no database at ${source}`, 66)
    const db = new SQLite(source, { fileMustExist: true })
    db.pragma('busy_timeout = 5000')
    // Written under another name and renamed when complete: a backup file is whole or absent.
    const partial = `${target}.partial`
    try {
      await db.backup(partial)
    } finally {
      db.close()
    }
    renameSync(partial, target)
    return `Backed up ${source} to ${target} (${describeSqlite(target)}).`
  }
  const { url, schema } = pgTarget(databaseUrl)
  runTool('pg_dump', [
    '--format=custom',
    '--no-owner',
    ...(schema ? [`--schema=${schema}`] : []),
    `--file=${target}`,
    `--dbname=${url}`,
  ])
  return `Backed up ${schema ? `schema ${schema} of ` : ''}the PostgreSQL database to ${target} (pg_dump custom format).`
}

export async function restore(databaseUrl: string, from: string): Promise<string> {
  const source = resolve(from)
  if (!existsSync(source)) throw new BackupError(`no backup at ${source}`, 66)
  if (databaseUrl.startsWith('sqlite:')) {
    const what = describeSqlite(source)
    const target = sqlitePath(databaseUrl)
    let kept: string | undefined
    if (existsSync(target)) {
      // An exclusive lock is refused while any other connection has the file open (a running server, mail:pipe):
      // replacing the file under them would lose what they write next.
      const current = new SQLite(target, { fileMustExist: true, timeout: 0 })
      try {
        current.pragma('locking_mode = EXCLUSIVE')
        current.exec('begin exclusive; commit')
        // Everything in the write-ahead log into the file, so the copy kept below is complete on its own.
        current.pragma('wal_checkpoint(TRUNCATE)')
      } catch (error) {
        current.close()
        if ((error as { code?: string }).code === 'SQLITE_BUSY')
          throw new BackupError(
            `${target} is in use (is the server running?). Stop Switchboard, then restore again.`,
            75,
          )
        throw error
      }
      current.close()
      kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
      renameSync(target, kept)
    }
    for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true })
    const partial = `${target}.restoring`
    copyFileSync(source, partial)
    renameSync(partial, target)
    return (
      `Restored ${target} from ${source} (${what}).` +
      (kept ? ` The database it replaced is kept as ${kept}.` : '') +
      ' Run `switchboard migrate` (or start) to bring it to this version.'
    )
  }
  const { url } = pgTarget(databaseUrl)
  // --clean --if-exists: drops what the backup recreates, so restoring over a damaged schema works too.
  runTool('pg_restore', [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--single-transaction',
    `--dbname=${url}`,
    source,
  ])
  return `Restored the PostgreSQL database from ${source}.`
}
