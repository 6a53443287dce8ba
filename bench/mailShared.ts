// Shared by the mail benchmarks: a scratch database with the demo data, and a description of the machine.
import { mkdtempSync } from 'node:fs'
import { cpus, loadavg, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo.ts'

/** DATABASE_URL when set (a PostgreSQL to measure), else a fresh SQLite file. */
export async function benchDatabase(): Promise<string> {
  const url =
    process.env.DATABASE_URL || `sqlite:${join(mkdtempSync(join(tmpdir(), 'sb-bench-')), 'bench.db')}`
  const db = openDatabase(url)
  await migrateToLatest(db)
  await seedDemo(db.writer, Date.now())
  await db.close()
  return url
}

export function machine(): string {
  const c = cpus()
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, node ${process.version}, load average ${load}`
}

export function message(i: number, run: string): string {
  return (
    `From: Customer ${i} <customer${i % 50}@bench.example>\r\nTo: support@example.com\r\n` +
    `Subject: Bench message ${i}\r\nMessage-ID: <bench-${run}-${i}@bench.example>\r\n` +
    `Content-Type: text/plain; charset=utf-8\r\n\r\n${'The printer is broken again. '.repeat(20)}\r\n`
  )
}
