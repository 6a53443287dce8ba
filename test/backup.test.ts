// `switchboard backup` and `switchboard restore` as an operator runs them (real processes), against a server
// that keeps taking tickets meanwhile: the copy is consistent, and restoring it brings those tickets back.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connection.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

function cli(args: string[], databaseUrl: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.js', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

/** Tickets of a database, and how many of them lack their first message (a torn copy would have some). */
async function contents(databaseUrl: string) {
  const db = openDatabase(databaseUrl)
  try {
    const tickets = await db.read.selectFrom('tickets').select(['id', 'subject']).execute()
    const entries = await db.read.selectFrom('thread_entries').select('ticket_id').execute()
    const withEntry = new Set(entries.map((e) => e.ticket_id))
    return {
      subjects: new Set(tickets.map((t) => t.subject)),
      torn: tickets.filter((t) => !withEntry.has(t.id)).length,
    }
  } finally {
    await db.close()
  }
}

describe.each(DATABASES)('backup and restore on %s', (kind) => {
  let t: TestServer
  let ken: Client
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-backup-'))
  beforeAll(async () => {
    t = await startServer(kind)
    ken = await new Client(t.url).as('ken@example.com')
  })
  afterAll(async () => {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const open = async (subject: string) => {
    const res = await ken.post('/api/v1/tickets', { subject, message: 'Keep this.' })
    expect(res.status).toBe(201)
  }

  it('copies the live database while tickets are being created, and restores it', async () => {
    await open(`before ${kind}`)
    const file = join(dir, `desk-${kind}.backup`)
    let loading = true
    const load = (async () => {
      for (let i = 0; loading; i++) await open(`during ${kind} ${i}`)
    })()
    const made = await cli(['backup', '--to', file], t.databaseUrl)
    loading = false
    await load
    expect(made.code, made.out).toBe(0)
    expect(existsSync(file)).toBe(true)
    // The same file is never overwritten: an old backup is not lost to a typo.
    expect((await cli(['backup', '--to', file], t.databaseUrl)).code).toBe(73)
    await open(`after ${kind}`)

    let restoredUrl: string
    let cleanup: () => Promise<void>
    if (kind === 'sqlite') {
      // Refused while the server has the database open: it would go on writing to the replaced file.
      const busy = await cli(['restore', '--from', file], t.databaseUrl)
      expect(busy.code, busy.out).toBe(75)
      expect(busy.out).toContain('in use')
      // Into a database nothing has open: the one it replaces is kept beside it.
      restoredUrl = `sqlite:${join(dir, 'restored.db')}`
      expect((await cli(['migrate'], restoredUrl)).code).toBe(0)
      cleanup = async () => {}
    } else {
      // A fresh PostgreSQL database, as after losing the server: the backup recreates its schema there.
      const name = `sb_restore_${randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
      await admin.connect()
      await admin.query(`create database ${name}`)
      await admin.end()
      const url = new URL(t.databaseUrl)
      url.pathname = `/${name}`
      restoredUrl = url.toString()
      cleanup = async () => {
        const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
        await c.connect()
        await c.query(`drop database ${name}`)
        await c.end()
      }
    }
    try {
      const restored = await cli(['restore', '--from', file], restoredUrl)
      expect(restored.code, restored.out).toBe(0)
      const back = await contents(restoredUrl)
      expect(back.subjects.has(`before ${kind}`)).toBe(true)
      expect(back.subjects.has(`after ${kind}`)).toBe(false)
      expect(back.torn).toBe(0)
      if (kind === 'sqlite') {
        expect(readdirSync(dir).some((f) => f.startsWith('restored.db.before-restore-'))).toBe(true)
      }
      // The restored database serves: the CLI migrates it and an admin can be made in it.
      const admin = await cli(['admin:create', '--email', 'restored@example.com', '--name', 'R'], restoredUrl)
      expect(admin.code, admin.out).toBe(0)
    } finally {
      await cleanup()
    }
  })

  it('says what is wrong with a bad backup file or missing arguments', async () => {
    const junk = join(dir, 'junk.backup')
    expect((await cli(['restore', '--from', join(dir, 'nothing-here')], t.databaseUrl)).code).toBe(66)
    expect((await cli(['backup'], t.databaseUrl)).code).toBe(64)
    if (kind === 'sqlite') {
      const { writeFileSync } = await import('node:fs')
      writeFileSync(junk, 'not a database')
      const r = await cli(['restore', '--from', junk], `sqlite:${join(dir, 'other.db')}`)
      expect(r.code, r.out).toBe(65)
    }
  })
})
