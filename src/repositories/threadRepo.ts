import type { Kysely } from 'kysely'
import type { EntryKind } from '../domain/tickets.ts'
import type { DB } from '../db/schema.ts'
import { reusable } from '../db/reusable.ts'

export interface ThreadEntryRow {
  id: number
  kind: EntryKind
  body: string
  created_at: number
  author_id: number
  author_name: string
  author_type: 'agent' | 'customer'
  /** Emailed entries: 1 when a signed Message-ID or trusted Authentication-Results vouched for the sender. */
  sender_verified: number | null
  /** Whether the entry came by email (entry_email has a row for it). */
  emailed: boolean
  /** Sanitised HTML: written in the composer (thread_entries.html) or received by mail (entry_email.html). */
  html: string | null
}

/** The thread in order. `includeNotes` false leaves internal notes out in SQL, not in a filter afterwards. */
export async function threadOf(
  db: Kysely<DB>,
  ticketId: number,
  includeNotes: boolean,
): Promise<ThreadEntryRow[]> {
  const rows = await db
    .selectFrom('thread_entries as e')
    .innerJoin('users as u', 'u.id', 'e.author_id')
    .leftJoin('entry_email as m', 'm.entry_id', 'e.id')
    .select([
      'e.id',
      'e.kind',
      'e.body',
      'e.created_at',
      'e.author_id',
      'u.name as author_name',
      'u.type as author_type',
      'm.sender_verified',
      'm.entry_id as email_entry_id',
      'e.html as composed_html',
      'm.html as mail_html',
    ])
    .where('e.ticket_id', '=', ticketId)
    .$if(!includeNotes, (q) => q.where('e.kind', '<>', 'note'))
    .orderBy('e.id')
    .execute()
  return rows.map(({ email_entry_id, composed_html, mail_html, ...r }) => ({
    ...r,
    emailed: email_entry_id !== null,
    html: composed_html ?? mail_html ?? null,
  }))
}

export async function insertEntry(
  db: Kysely<DB>,
  entry: {
    ticketId: number
    kind: EntryKind
    body: string
    /** Sanitised HTML from the composer (never unsanitised input). */
    html?: string | null
    authorId: number
    at: number
  },
): Promise<number> {
  const html = entry.html ?? null
  const [row] =
    html === null
      ? await newEntry(db, entry.ticketId, entry.kind, entry.body, entry.authorId, entry.at)
      : await newHtmlEntry(db, entry.ticketId, entry.kind, entry.body, html, entry.authorId, entry.at)
  return row!.id
}

const newEntry = reusable(
  (db, ticketId: number, kind: EntryKind, body: string, authorId: number, at: number) =>
    db
      .insertInto('thread_entries')
      .values({ ticket_id: ticketId, kind, body, author_id: authorId, created_at: at })
      .returning('id'),
)

const newHtmlEntry = reusable(
  (db, ticketId: number, kind: EntryKind, body: string, html: string, authorId: number, at: number) =>
    db
      .insertInto('thread_entries')
      .values({ ticket_id: ticketId, kind, body, html, author_id: authorId, created_at: at })
      .returning('id'),
)
