// Formatted messages (issue 11): the sanitised HTML of an entry written in the composer (an agent's reply or
// note, a customer's message in the portal). Its plain-text copy stays in `body`, which search, mail text parts
// and every older reader use. Entries that came by email keep their HTML in entry_email.html, as before.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('thread_entries').addColumn('html', 'text').execute()
}
