// A counter that every change to routing configuration bumps (settings, departments, SLA plans and their
// schedules, help topics, rules), kept by triggers so that no writer can forget it, whichever process or
// tool made the change. Processes cache that configuration and re-read it only when the counter moved:
// ticket creation then reads one number instead of seven rows.
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export const CONFIG_TABLES = [
  'settings',
  'departments',
  'sla_plans',
  'business_schedules',
  'help_topics',
  'rules',
] as const

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('config_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute()
  await db.insertInto('config_version').values({ id: 1, n: 1 }).execute()

  if (dialect === 'postgres') {
    await sql`
      create function bump_config_version() returns trigger language plpgsql as $$
      begin
        update config_version set n = n + 1 where id = 1;
        return null;
      end $$`.execute(db)
    for (const table of CONFIG_TABLES) {
      await sql`
        create trigger ${sql.id(`${table}_config_version`)}
        after insert or update or delete on ${sql.table(table)}
        for each statement execute function bump_config_version()`.execute(db)
    }
    return
  }
  for (const table of CONFIG_TABLES) {
    for (const op of ['insert', 'update', 'delete']) {
      await sql`
        create trigger ${sql.id(`${table}_config_version_${op}`)}
        after ${sql.raw(op)} on ${sql.table(table)}
        begin update config_version set n = n + 1 where id = 1; end`.execute(db)
    }
  }
}
