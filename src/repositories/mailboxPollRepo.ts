// Where the IMAP poller (jobs/imapPolling.ts) keeps its place in each mailbox: UIDVALIDITY, the last UID
// filed, the last connection error.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function mailboxToPoll(db: Kysely<DB>, id: number) {
  return db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** The active mailboxes with their connection settings (a change means reconnecting). */
export async function activeMailboxes(db: Kysely<DB>) {
  return db
    .selectFrom('mailboxes')
    .select(['id', 'host', 'port', 'secure', 'username', 'password', 'folder'])
    .where('is_active', '=', 1)
    .execute()
}

/** The server renumbered the folder: start again from UID 0 under the new UIDVALIDITY. */
export async function resetMailboxUids(db: Kysely<DB>, id: number, uidValidity: string) {
  await db
    .updateTable('mailboxes')
    .set({ uid_validity: uidValidity, last_uid: 0 })
    .where('id', '=', id)
    .execute()
}

/** Moves last_uid forward (never back) and clears the error: the mailbox answered. */
export async function advanceMailboxUid(db: Kysely<DB>, id: number, uid: number) {
  await db
    .updateTable('mailboxes')
    .set({ last_uid: uid, last_error: null })
    .where('id', '=', id)
    .where('last_uid', '<', uid)
    .execute()
}

export async function setMailboxError(db: Kysely<DB>, id: number, message: string) {
  await db
    .updateTable('mailboxes')
    .set({ last_error: message.slice(0, 2000) })
    .where('id', '=', id)
    .execute()
}
