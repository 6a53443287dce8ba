// Reading an osTicket 1.10–1.18 database (MariaDB or MySQL) through mysql2. Only SELECTs: a read-only
// account is enough (docs/import.md).
import type { Connection, RowDataPacket } from 'mysql2/promise'

/** The source cannot be reached or read (exit code 3). */
export class SourceError extends Error {}

/** The arguments are wrong (exit code 2). */
export class ImportUsageError extends Error {}

export interface SourceOptions {
  from: string
  prefix: string
}

export type Row = Record<string, unknown>

export class OsticketSource {
  private constructor(
    private readonly conn: Connection,
    readonly prefix: string,
    private readonly columns: Map<string, Set<string>>,
  ) {}

  static async open(options: SourceOptions): Promise<OsticketSource> {
    let url: URL
    try {
      url = new URL(options.from)
    } catch {
      throw new ImportUsageError('--from must be a URL like mysql://user:pass@host:3306/osticket')
    }
    if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:')
      throw new ImportUsageError('--from must start with mysql:// (or mariadb://)')
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
    if (!database)
      throw new ImportUsageError('--from must name the database: mysql://user:pass@host/osticket')
    if (!/^[A-Za-z0-9_]{0,32}$/.test(options.prefix))
      throw new ImportUsageError('--prefix may hold only letters, digits and _ (osTicket’s default is ost_)')
    const mysql = await import('mysql2/promise')
    let conn: Connection
    try {
      conn = await mysql.createConnection({
        host: url.hostname || '127.0.0.1',
        port: url.port ? Number(url.port) : 3306,
        user: decodeURIComponent(url.username) || 'root',
        password: decodeURIComponent(url.password),
        database,
        charset: 'utf8mb4',
        // Dates as written ('YYYY-MM-DD HH:MM:SS'): read as UTC below, whatever this machine's zone.
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
        connectTimeout: 10_000,
      })
    } catch (error) {
      throw new SourceError(`cannot connect to ${url.host}/${database}: ${(error as Error).message}`)
    }
    const columns = new Map<string, Set<string>>()
    try {
      const [rows] = await conn.query<RowDataPacket[]>(
        'select table_name as t, column_name as c from information_schema.columns where table_schema = ?',
        [database],
      )
      for (const r of rows) {
        const t = String(r.t ?? r.TABLE_NAME)
        const c = String(r.c ?? r.COLUMN_NAME)
        if (!columns.has(t)) columns.set(t, new Set())
        columns.get(t)!.add(c)
      }
    } catch (error) {
      await conn.end().catch(() => {})
      throw new SourceError(`cannot read ${database}: ${(error as Error).message}`)
    }
    const source = new OsticketSource(conn, options.prefix, columns)
    for (const t of ['ticket', 'thread', 'thread_entry', 'user', 'staff', 'department'])
      if (!source.has(t)) {
        await conn.end().catch(() => {})
        throw new SourceError(
          `${database} has no table ${options.prefix}${t}: not an osTicket database, or another --prefix`,
        )
      }
    return source
  }

  /** Whether the table (without prefix) exists, and with `column` when given. */
  has(table: string, column?: string): boolean {
    const cols = this.columns.get(this.prefix + table)
    return cols !== undefined && (column === undefined || cols.has(column))
  }

  /** `sql` with {name} standing for the prefixed table name. */
  async rows<T extends Row = Row>(text: string, params: unknown[] = []): Promise<T[]> {
    const expanded = text.replace(/\{(\w+)\}/g, (_, t: string) => `\`${this.prefix}${t}\``)
    try {
      const [rows] = await this.conn.query<RowDataPacket[]>(expanded, params)
      return rows as unknown as T[]
    } catch (error) {
      throw new SourceError(`reading the source failed: ${(error as Error).message}`)
    }
  }

  /** Rows of `table` (optional) or [] when the table does not exist in this version. */
  async optional<T extends Row = Row>(table: string, text: string, params: unknown[] = []): Promise<T[]> {
    return this.has(table) ? this.rows<T>(text, params) : []
  }

  close(): Promise<void> {
    return this.conn.end().catch(() => {})
  }
}

/** osTicket writes DATETIME in the server's zone; we read it as UTC (docs/import.md). Zero dates are null. */
export function when(value: unknown): number | null {
  if (value === null || value === undefined) return null
  const s = String(value)
  if (s.startsWith('0000')) return null
  const t = Date.parse(`${s.replace(' ', 'T')}Z`)
  return Number.isFinite(t) ? t : null
}

export const int = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value))
export const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value))
