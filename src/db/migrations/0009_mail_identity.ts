// Email is not identity (issue 9). Each intake address names the Authentication-Results authserv-ids it
// trusts (the receiving MTA's own); each emailed thread entry records whether its sender was verified; and
// addresses already stored are brought to their one form (NFC), unless that would merge two accounts.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  /** JSON array of authserv-ids whose Authentication-Results header this address trusts; none by default. */
  await db.schema
    .alterTable('intake_addresses')
    .addColumn('trusted_authserv_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  /** 1: our signed Message-ID or a trusted Authentication-Results pass vouched for the From; 0: nothing did. */
  await db.schema.alterTable('entry_email').addColumn('sender_verified', 'integer').execute()

  const users = (await db.selectFrom('users').select(['id', 'email']).execute()) as {
    id: number
    email: string
  }[]
  const taken = new Set(users.map((u) => u.email))
  for (const u of users) {
    const nfc = u.email.normalize('NFC')
    if (nfc === u.email || taken.has(nfc)) continue
    await db.updateTable('users').set({ email: nfc }).where('id', '=', u.id).execute()
    taken.add(nfc)
  }
}
