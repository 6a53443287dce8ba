// SQLite's group commit: callers that arrive together share one transaction, each in its own savepoint, and
// their full-text rows are written together just before COMMIT. A failing caller must take its own writes,
// search rows included, with it, and leave the others' alone.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'

describe('SQLite group commit', () => {
  let dir: string
  let db: Database
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-group-'))
    db = openDatabase(`sqlite:${join(dir, 'g.db')}`)
    await migrateToLatest(db)
  })
  afterAll(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const matches = async (word: string) =>
    (
      await sql<{ rowid: number }>`select rowid from ticket_search where ticket_search match ${word}`.execute(
        db.read,
      )
    ).rows.map((r) => r.rowid)

  it('indexes the rows of the callers that commit, and none of the one that fails', async () => {
    const calls = [1, 2, 3].map((n) =>
      db.transact(async (trx) => {
        await sql`insert into settings (key, value) values (${`k${n}`}, 'v')`.execute(trx)
        await db.indexForSearch(trx, [
          { ticketId: n, entryId: null, content: `word${n} shared`, internal: false },
        ])
        if (n === 2) throw new Error('caller 2 fails')
        return n
      }),
    )
    const outcomes = await Promise.allSettled(calls)
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((await matches('shared')).sort((a, b) => a - b)).toEqual([-3, -1])
    expect(await matches('word2')).toEqual([])
    const keys = await db.read.selectFrom('settings').select('key').where('key', 'like', 'k%').execute()
    expect(keys.map((k) => k.key).sort()).toEqual(['k1', 'k3'])
  })

  it('indexes at once outside a group commit (migrations, seeds)', async () => {
    await db.indexForSearch(db.writer, [{ ticketId: 9, entryId: 90, content: 'standalone', internal: false }])
    expect(await matches('standalone')).toEqual([90])
  })
})
