// `switchboard import osticket` on a 10,000-ticket osTicket database, into SQLite and PostgreSQL.
// The database is the osTicket fixture (../shared/fixtures/osticket) multiplied: its tickets with their threads,
// entries (each one three times), events, form answers, collaborators, referrals, attachments and tasks copied
// with new ids, the people and configuration shared. Prints the import time and rate per database, and the
// longest batch (the write lock is held for at most one batch's transaction).
// Run: node bin/run-ts.js bench/importOsticket.ts
//      (MariaDB on 127.0.0.1:3306 as root; PostgreSQL too when TEST_DATABASE_URL names one: a fresh schema in it)
// BENCH_TICKETS (10000), BENCH_ENTRY_COPIES (3).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { importOsticket, type Progress } from '../src/import/osticket.ts'
import { seedEssentials } from '../src/seed/demo.ts'
import { dropFixture, loadFixture } from '../test/support/osticketFixture.ts'
import { machine } from './machine.ts'

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000)
const ENTRY_COPIES = Number(process.env.BENCH_ENTRY_COPIES ?? 3)
const name = `ost_bench_${randomBytes(4).toString('hex')}`

function mariadb(sqlText: string): string {
  return execFileSync('mariadb', ['-h', '127.0.0.1', '-u', 'root', '-N', name], {
    input: sqlText,
    encoding: 'utf8',
  })
}

/** Copies k = 1…n-1 of the fixture's tickets and everything hanging off them, ids shifted by k × 1,000,000. */
function multiply(copies: number): void {
  const statements: string[] = []
  const O = (k: number) => k * 1_000_000
  // The fixture's own entries first get their extra copies in the same threads.
  for (let r = 1; r < ENTRY_COPIES; r++)
    statements.push(
      `insert into ost_thread_entry (id, pid, thread_id, staff_id, user_id, type, flags, poster, editor, editor_type, source, title, body, format, ip_address, extra, recipients, created, updated)
       select id + ${r * 100_000}, 0, thread_id, staff_id, user_id, type, flags, poster, editor, editor_type, source, title, body, format, ip_address, extra, recipients, created, updated
         from ost_thread_entry where id < 100000`,
    )
  for (let k = 1; k < copies; k++) {
    const o = O(k)
    statements.push(
      `insert into ost_ticket (ticket_id, ticket_pid, number, user_id, user_email_id, status_id, dept_id, sla_id, topic_id, staff_id, team_id, email_id, lock_id, flags, sort, ip_address, source, source_extra, isoverdue, isanswered, duedate, est_duedate, reopened, closed, lastupdate, created, updated)
       select ticket_id + ${o}, if(ticket_pid is null, null, ticket_pid + ${o}), number + ${k * 1_000_000}, user_id, user_email_id, status_id, dept_id, sla_id, topic_id, staff_id, team_id, email_id, 0, flags, sort, ip_address, source, source_extra, isoverdue, isanswered, duedate, est_duedate, reopened, closed, lastupdate, created, updated
         from ost_ticket where ticket_id < 1000000`,
      `insert into ost_ticket__cdata (ticket_id, subject, priority) select ticket_id + ${o}, subject, priority from ost_ticket__cdata where ticket_id < 1000000`,
      `insert into ost_thread (id, object_id, object_type, extra, lastresponse, lastmessage, created)
       select id + ${o}, object_id + ${o}, object_type, extra, lastresponse, lastmessage, created from ost_thread where id < 1000000 and object_type in ('T', 'C', 'A')`,
      `insert into ost_thread_entry (id, pid, thread_id, staff_id, user_id, type, flags, poster, editor, editor_type, source, title, body, format, ip_address, extra, recipients, created, updated)
       select id + ${o}, 0, thread_id + ${o}, staff_id, user_id, type, flags, poster, editor, editor_type, source, title, body, format, ip_address, extra, recipients, created, updated
         from ost_thread_entry where id < 1000000`,
      `insert into ost_thread_entry_email (id, thread_entry_id, email_id, mid, headers)
       select id + ${o}, thread_entry_id + ${o}, email_id, concat('<copy${k}.', substr(mid, 2)), headers from ost_thread_entry_email where id < 1000000`,
      `insert into ost_thread_event (id, thread_id, thread_type, event_id, staff_id, team_id, dept_id, topic_id, data, username, uid, uid_type, annulled, timestamp)
       select id + ${o}, thread_id + ${o}, thread_type, event_id, staff_id, team_id, dept_id, topic_id, data, username, uid, uid_type, annulled, timestamp from ost_thread_event where id < 1000000`,
      `insert into ost_thread_collaborator (id, flags, thread_id, user_id, role, created, updated)
       select id + ${o}, flags, thread_id + ${o}, user_id, role, created, updated from ost_thread_collaborator where id < 1000000`,
      `insert into ost_thread_referral (id, thread_id, object_id, object_type, created)
       select id + ${o}, thread_id + ${o}, object_id, object_type, created from ost_thread_referral where id < 1000000`,
      `insert into ost_form_entry (id, form_id, object_id, object_type, sort, extra, created, updated)
       select id + ${o}, form_id, object_id + ${o}, object_type, sort, extra, created, updated from ost_form_entry where id < 1000000 and object_type = 'T'`,
      `insert into ost_form_entry_values (entry_id, field_id, value, value_id)
       select v.entry_id + ${o}, v.field_id, v.value, v.value_id from ost_form_entry_values v join ost_form_entry e on e.id = v.entry_id
        where e.id < 1000000 and e.object_type = 'T'`,
      `insert into ost_attachment (id, object_id, type, file_id, name, inline, lang)
       select id + ${o}, object_id + ${o}, type, file_id, name, inline, lang from ost_attachment where id < 1000000 and type in ('H', 'T')`,
      `insert into ost_task (id, object_id, object_type, number, dept_id, staff_id, team_id, lock_id, flags, duedate, closed, created, updated)
       select id + ${o}, object_id + ${o}, object_type, number + ${o}, dept_id, staff_id, team_id, 0, flags, duedate, closed, created, updated from ost_task where id < 1000000`,
      `insert into ost_task__cdata (task_id, title) select task_id + ${o}, title from ost_task__cdata where task_id < 1000000`,
    )
  }
  mariadb(`${statements.join(';\n')};`)
}

function plainProgress(): { progress: Progress; longestBatchMs: () => number } {
  let phase = ''
  let last = 0
  let longest = 0
  return {
    progress: {
      phase(n) {
        phase = n
        last = performance.now()
      },
      tick() {
        const now = performance.now()
        if (phase === 'tickets') longest = Math.max(longest, now - last)
        last = now
      },
      end() {},
    },
    longestBatchMs: () => longest,
  }
}

async function run(label: string, url: string, from: string): Promise<void> {
  const db = openDatabase(url)
  try {
    await migrateToLatest(db)
    await seedEssentials(db.writer, Date.now())
    const { progress, longestBatchMs } = plainProgress()
    const started = performance.now()
    const report = await importOsticket(db, { from, progress })
    const s = (performance.now() - started) / 1000
    const tickets = report.counts.ticket?.new ?? 0
    const entries = report.counts.entry?.new ?? 0
    const events = report.counts.event?.new ?? 0
    const attachments = report.counts.attachment?.new ?? 0
    console.log(
      `${label}: ${tickets.toLocaleString('en')} tickets, ${entries.toLocaleString('en')} entries, ${events.toLocaleString('en')} events, ` +
        `${attachments.toLocaleString('en')} attachments in ${s.toFixed(1)} s: ${Math.round(tickets / s).toLocaleString('en')} tickets/s, ` +
        `${Math.round(entries / s).toLocaleString('en')} entries/s; longest batch ${longestBatchMs().toFixed(0)} ms ` +
        `(of which ${report.longestBatchMs.toFixed(0)} ms in its transaction)` +
        `${report.problems.length > 0 ? `; ${report.problems.length} problems listed` : ''}`,
    )
    const again = performance.now()
    const second = await importOsticket(db, { from })
    const added = Object.values(second.counts).reduce((n, c) => n + c.new + c.changed, 0)
    console.log(
      `${label}: second run ${((performance.now() - again) / 1000).toFixed(1)} s, ${added} rows added or changed`,
    )
  } finally {
    await db.close()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-importbench-'))
console.log(machine())
loadFixture(name)
try {
  const base = Number(mariadb('select count(*) from ost_ticket').trim())
  const copies = Math.ceil(TICKETS / base)
  const t0 = performance.now()
  multiply(copies)
  const counts = mariadb(
    'select (select count(*) from ost_ticket), (select count(*) from ost_thread_entry), (select count(*) from ost_thread_event)',
  )
    .trim()
    .split(/\s+/)
    .map(Number)
  console.log(
    `osTicket source: ${counts[0]!.toLocaleString('en')} tickets, ${counts[1]!.toLocaleString('en')} entries, ` +
      `${counts[2]!.toLocaleString('en')} events (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  )
  const from = `mysql://root@127.0.0.1:3306/${name}`
  await run('SQLite', `sqlite:${join(dir, 'bench.db')}`, from)
  const pgBase = process.env.TEST_DATABASE_URL
  if (pgBase) {
    const schema = `importbench_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: pgBase })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    const url = new URL(pgBase)
    url.searchParams.set('options', `-c search_path=${schema}`)
    try {
      await run('PostgreSQL', url.toString(), from)
    } finally {
      await admin.query(`drop schema ${schema} cascade`)
      await admin.end()
    }
  } else console.log('PostgreSQL: skipped (set TEST_DATABASE_URL)')
} finally {
  dropFixture(name)
  rmSync(dir, { recursive: true, force: true })
}
