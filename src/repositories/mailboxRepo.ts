// The IMAP mailboxes admins configured. The password column holds the sealed password (domain/secretBox.ts);
// rows from before sealing hold it plain until sealStoredMailboxPasswords seals them.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { DB, MailboxTable } from '../db/schema.ts'

export type MailboxRow = Selectable<MailboxTable>

export const listMailboxes = (db: Kysely<DB>) =>
  db.selectFrom('mailboxes').selectAll().orderBy('id').execute()

export const findMailbox = (db: Kysely<DB>, id: number) =>
  db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst()

export const insertMailbox = (db: Kysely<DB>, row: Insertable<MailboxTable>) =>
  db.insertInto('mailboxes').values(row).returning('id').executeTakeFirstOrThrow()

export const updateMailboxRow = (db: Kysely<DB>, id: number, patch: Updateable<MailboxTable>) =>
  db.updateTable('mailboxes').set(patch).where('id', '=', id).execute()

export const deleteMailboxRow = (db: Kysely<DB>, id: number) =>
  db.deleteFrom('mailboxes').where('id', '=', id).execute()

/** Rows whose password is still stored as typed (written before passwords were sealed). */
export const plainPasswordMailboxes = (db: Kysely<DB>) =>
  db.selectFrom('mailboxes').select(['id', 'password']).where('password', 'not like', 'sealed:v1:%').execute()

/** Replaces a plain password by its sealed form, unless an admin changed it meanwhile. */
export const sealPlainPassword = (db: Kysely<DB>, id: number, plain: string, sealed: string) =>
  db
    .updateTable('mailboxes')
    .set({ password: sealed })
    .where('id', '=', id)
    .where('password', '=', plain)
    .execute()
