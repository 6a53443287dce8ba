// The command line of `switchboard import osticket`: arguments, progress and the summary. Exit codes: 0 done,
// 2 bad arguments, 3 cannot reach or read the source, 4 partly imported (see the summary).
import { parseArgs } from 'node:util'
import type { Database } from '../db/connection.ts'
import {
  ImportUsageError,
  SourceError,
  importOsticket,
  type ImportReport,
  type Progress,
} from './osticket.ts'

export const IMPORT_HELP = `switchboard import osticket --from mysql://user:pass@host:3306/dbname [--prefix ost_] [--dry-run]
  imports an osTicket 1.10–1.18 help desk into the configured database; run it again to bring over what is
  new or changed. See docs/import.md.`

/** A bar per phase on a terminal; plain lines otherwise (logs, CI). */
export function progressTo(stream: NodeJS.WriteStream): Progress {
  let name = ''
  let total = 0
  let shown = -1
  let started = 0
  const tty = stream.isTTY === true
  return {
    phase(n, t) {
      name = n
      total = t
      shown = -1
      started = performance.now()
      if (!tty) stream.write(`${name}: ${total.toLocaleString('en')}\n`)
    },
    tick(done) {
      if (!tty) {
        // Plain lines: at most one per tenth of the phase.
        const tenth = total > 0 ? Math.floor((done / total) * 10) : 0
        if (total >= 1000 && tenth > shown && done < total) {
          shown = tenth
          stream.write(`  ${name}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}\n`)
        }
        return
      }
      const width = 30
      const filled = total > 0 ? Math.round((done / total) * width) : width
      stream.write(
        `\r${name.padEnd(26)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}`,
      )
    },
    end() {
      const s = ((performance.now() - started) / 1000).toFixed(1)
      if (tty) stream.write(`  ${s} s\n`)
      else stream.write(`  ${name}: done in ${s} s\n`)
    },
  }
}

export function formatReport(report: ImportReport): string {
  const lines: string[] = []
  lines.push(report.dryRun ? 'Dry run: nothing was written. What a run would do:' : 'Imported from osTicket:')
  lines.push(
    `  ${'kind'.padEnd(22)} ${'new'.padStart(7)} ${'changed'.padStart(8)} ${'same'.padStart(7)} ${'failed'.padStart(7)}`,
  )
  for (const [kind, c] of Object.entries(report.counts).sort())
    lines.push(
      `  ${kind.padEnd(22)} ${String(c.new).padStart(7)} ${String(c.changed).padStart(8)} ${String(c.unchanged).padStart(7)} ${String(c.failed).padStart(7)}`,
    )
  if (report.problems.length > 0) {
    lines.push(`Not imported, or only in part (${report.problems.length}):`)
    for (const p of report.problems) lines.push(`  ${p.kind} ${p.sourceId}: ${p.reason}`)
  }
  if (report.notes.length > 0) {
    lines.push('Notes:')
    for (const n of report.notes) lines.push(`  - ${n}`)
  }
  lines.push(
    `Time: ${(report.elapsedMs / 1000).toFixed(1)} s (longest write transaction ${Math.round(report.longestBatchMs)} ms)`,
  )
  return lines.join('\n')
}

/** Rows that failed to import (passwords to reset are listed, but the import itself is complete). */
export function partly(report: ImportReport): boolean {
  return Object.values(report.counts).some((c) => c.failed > 0)
}

export async function importCommand(args: string[], open: () => Promise<Database>): Promise<number> {
  let values: { from?: string; prefix?: string; 'dry-run'?: boolean }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { from: { type: 'string' }, prefix: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    }))
  } catch (error) {
    console.error(`switchboard import: ${(error as Error).message}\n\n${IMPORT_HELP}`)
    return 2
  }
  if (positionals[0] !== 'osticket' || positionals.length !== 1) {
    console.error(`switchboard import: say what to import from: osticket\n\n${IMPORT_HELP}`)
    return 2
  }
  if (!values.from) {
    console.error(`switchboard import osticket: --from is required\n\n${IMPORT_HELP}`)
    return 2
  }
  const db = await open()
  try {
    const report = await importOsticket(db, {
      from: values.from,
      prefix: values.prefix ?? 'ost_',
      dryRun: values['dry-run'] ?? false,
      progress: progressTo(process.stderr),
    })
    console.log(formatReport(report))
    return partly(report) ? 4 : 0
  } catch (error) {
    if (error instanceof ImportUsageError) {
      console.error(`switchboard import osticket: ${error.message}`)
      return 2
    }
    if (error instanceof SourceError) {
      console.error(`switchboard import osticket: ${error.message}`)
      return 3
    }
    console.error(
      'switchboard import osticket: stopped by an error; what was imported stays, run it again to resume.',
    )
    console.error(error)
    return 4
  } finally {
    await db.close()
  }
}
