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
  /** The number of the ticket the entry was written on, when a merge moved it (null: written here). */
  origin_number: string | null
}

export interface ThreadViewer {
  /** false leaves internal notes out in SQL. */
  includeNotes: boolean
  /**
   * A customer sees an entry a merge brought in only when they may see the ticket it was written on (its
   * requester or a collaborator there): merging two people's tickets makes neither a reader of the other's.
   */
  customerId: number | null
}

/**
 * The thread in order: the entries on the ticket, and for a merged ticket also those written on it that now
 * live on the ticket it was merged into. Notes and other people's merged-in entries are left out in SQL, not in
 * a filter afterwards.
 */
export async function threadOf(
  db: Kysely<DB>,
  ticket: { id: number; merged: boolean },
  viewer: ThreadViewer,
): Promise<ThreadEntryRow[]> {
  const ticketId = ticket.id
  const { includeNotes, customerId } = viewer
  const rows = await db
    .selectFrom('thread_entries as e')
    .innerJoin('users as u', 'u.id', 'e.author_id')
    .leftJoin('entry_email as m', 'm.entry_id', 'e.id')
    .leftJoin('tickets as o', 'o.id', 'e.origin_ticket_id')
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
      'o.number as origin_number',
    ])
    .where((eb) =>
      ticket.merged
        ? eb.or([eb('e.ticket_id', '=', ticketId), eb('e.origin_ticket_id', '=', ticketId)])
        : eb('e.ticket_id', '=', ticketId),
    )
    .$if(!includeNotes, (q) => q.where('e.kind', '<>', 'note'))
    .$if(customerId !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('e.origin_ticket_id', 'is', null),
          eb('e.origin_ticket_id', '=', ticketId),
          eb('o.requester_id', '=', customerId!),
          eb(
            'e.origin_ticket_id',
            'in',
            eb.selectFrom('ticket_collaborators').select('ticket_id').where('user_id', '=', customerId!),
          ),
        ]),
      ),
    )
    .orderBy('e.id')
    .execute()
  return rows.map(({ email_entry_id, composed_html, mail_html, ...r }) => ({
    ...r,
    emailed: email_entry_id !== null,
    html: composed_html ?? mail_html ?? null,
    origin_number: r.origin_number ?? null,
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
    originTicketId?: number
  },
): Promise<number> {
  const html = entry.html ?? null
  if (entry.originTicketId !== undefined) {
    const row = await db
      .insertInto('thread_entries')
      .values({
        ticket_id: entry.ticketId,
        kind: entry.kind,
        body: entry.body,
        html,
        author_id: entry.authorId,
        created_at: entry.at,
        origin_ticket_id: entry.originTicketId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }
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

/** Whether entry `entryId` is on ticket `ticketId`. */
export async function entryIsOnTicket(db: Kysely<DB>, ticketId: number, entryId: number): Promise<boolean> {
  const row = await db
    .selectFrom('thread_entries')
    .select('id')
    .where('id', '=', entryId)
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst()
  return row !== undefined
}
