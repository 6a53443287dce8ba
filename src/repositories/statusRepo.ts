// Ticket statuses as the admin changes them; the catalog (statusCatalog.ts) lists them with directoryRepo.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { DB, TicketStatusTable } from '../db/schema.ts'

export async function statusByKey(db: Kysely<DB>, key: string) {
  return db.selectFrom('ticket_statuses').selectAll().where('key', '=', key).executeTakeFirst()
}

export async function insertStatus(db: Kysely<DB>, values: Insertable<TicketStatusTable>) {
  await db.insertInto('ticket_statuses').values(values).execute()
}

export async function updateStatusRow(db: Kysely<DB>, key: string, set: Updateable<TicketStatusTable>) {
  await db.updateTable('ticket_statuses').set(set).where('key', '=', key).execute()
}
