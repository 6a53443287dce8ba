import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Counts one request in a fixed window and returns the count so far: one statement, safe under concurrency. */
export async function countHit(db: Kysely<DB>, key: string, windowStart: number): Promise<number> {
  const row = await db
    .insertInto('rate_limit_windows')
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc
        .columns(['key', 'window_start'])
        .doUpdateSet((eb) => ({ hits: eb('rate_limit_windows.hits', '+', 1) })),
    )
    .returning('hits')
    .executeTakeFirstOrThrow()
  return row.hits
}

export async function deleteWindowsBefore(db: Kysely<DB>, before: number): Promise<void> {
  await db.deleteFrom('rate_limit_windows').where('window_start', '<', before).execute()
}
