import { Migrator, type Migration } from 'kysely'
import type { Database } from './connection.ts'
import * as foundation from './migrations/0001_foundation.ts'
import * as email from './migrations/0003_email.ts'

export async function migrateToLatest(database: Database): Promise<string[]> {
  const bind = (m: { up: typeof foundation.up }): Migration => ({
    up: (db) => m.up(db, database.dialect),
  })
  const migrator = new Migrator({
    db: database.writer,
    // Features land in parallel, so a later-numbered migration may reach a database before an earlier one.
    allowUnorderedMigrations: true,
    provider: {
      getMigrations: async () => ({
        '0001_foundation': bind(foundation),
        '0003_email': bind(email),
      }),
    },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
