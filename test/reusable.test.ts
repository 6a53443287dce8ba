// Reusable queries are compiled once and then bound to new arguments: each call must see its own values,
// and an object argument with other fields than the first must be refused, not bound to the wrong columns.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../src/db/connection.ts'
import { reusable } from '../src/db/reusable.ts'

describe('reusable queries', () => {
  let dir: string
  let db: Database
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-reusable-'))
    db = openDatabase(`sqlite:${join(dir, 'r.db')}`)
    await db.writer.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text')
      .execute()
  })
  afterAll(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const put = reusable((d, row: { key: string; value: string }) => d.insertInto('settings').values(row))
  const get = reusable((d, key: string) => d.selectFrom('settings').select('value').where('key', '=', key))

  it('binds each call to its own arguments', async () => {
    await put(db.writer, { key: 'a', value: 'one' })
    await put(db.writer, { key: 'b', value: 'two' })
    expect(await get(db.read, 'a')).toEqual([{ value: 'one' }])
    expect(await get(db.read, 'b')).toEqual([{ value: 'two' }])
    expect(await get(db.read, 'c')).toEqual([])
  })

  it('refuses an object argument with other fields than the one it was compiled with', async () => {
    await expect(put(db.writer, { key: 'c' } as never)).rejects.toThrow(/has fields key, not key,value/)
    expect(await get(db.read, 'c')).toEqual([])
  })
})
