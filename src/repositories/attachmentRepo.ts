// SQL of uploads and of the attachments of thread entries. The content itself is in attachment_blobs, read
// and written through the AttachmentStore.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface AttachmentRow {
  id: number
  entry_id: number
  filename: string
  content_type: string
  size: number
  sha256: string | null
  content_id: string | null
}

const attachmentColumns = [
  'id',
  'entry_id',
  'filename',
  'content_type',
  'size',
  'sha256',
  'content_id',
] as const

export async function insertUpload(
  trx: Kysely<DB>,
  row: {
    uploaderId: number
    filename: string
    contentType: string
    size: number
    sha256: string
    at: number
    expiresAt: number
  },
): Promise<number> {
  const inserted = await trx
    .insertInto('uploads')
    .values({
      uploader_id: row.uploaderId,
      filename: row.filename,
      content_type: row.contentType,
      size: row.size,
      sha256: row.sha256,
      created_at: row.at,
      expires_at: row.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return inserted.id
}

/** The uploads among `ids` that belong to `uploaderId` and have not expired at `at`. */
export function ownUploads(trx: Kysely<DB>, uploaderId: number, ids: number[], at: number) {
  return trx
    .selectFrom('uploads')
    .select(['id', 'filename', 'content_type', 'size', 'sha256'])
    .where('id', 'in', ids)
    .where('uploader_id', '=', uploaderId)
    .where('expires_at', '>', at)
    .orderBy('id')
    .execute()
}

export async function deleteUploads(trx: Kysely<DB>, ids: number[]): Promise<void> {
  if (ids.length > 0) await trx.deleteFrom('uploads').where('id', 'in', ids).execute()
}

export async function insertEntryAttachment(
  trx: Kysely<DB>,
  row: {
    entryId: number
    ticketId: number
    filename: string
    contentType: string
    size: number
    sha256: string
    contentId?: string | null | undefined
    at: number
  },
): Promise<void> {
  await trx
    .insertInto('entry_attachments')
    .values({
      entry_id: row.entryId,
      ticket_id: row.ticketId,
      filename: row.filename,
      content_type: row.contentType,
      size: row.size,
      sha256: row.sha256,
      content_id: row.contentId ?? null,
      created_at: row.at,
    })
    .execute()
}

export async function attachmentsOfEntries(db: Kysely<DB>, entryIds: number[]): Promise<AttachmentRow[]> {
  if (entryIds.length === 0) return []
  return db
    .selectFrom('entry_attachments')
    .select(attachmentColumns)
    .where('entry_id', 'in', entryIds)
    .orderBy('id')
    .execute()
}

/** The files of an entry that customers may see: none for an internal note, whatever the caller asked. */
export function attachmentsOfPublicEntry(db: Kysely<DB>, entryId: number) {
  return db
    .selectFrom('entry_attachments as a')
    .innerJoin('thread_entries as e', 'e.id', 'a.entry_id')
    .select(['a.id', 'a.filename', 'a.content_type', 'a.sha256'])
    .where('a.entry_id', '=', entryId)
    .where('e.kind', '<>', 'note')
    .where('a.sha256', 'is not', null)
    .orderBy('a.id')
    .execute()
}

/** An attachment by id; whether its entry is in the thread the reader may see is the caller's check. */
export function findAttachment(db: Kysely<DB>, id: number) {
  return db.selectFrom('entry_attachments').select(attachmentColumns).where('id', '=', id).executeTakeFirst()
}

/** Deletes the uploads that expired before `at`; returns how many. */
export async function deleteExpiredUploads(trx: Kysely<DB>, at: number): Promise<number> {
  const result = await trx.deleteFrom('uploads').where('expires_at', '<=', at).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Deletes content nothing refers to any more and nobody touched since `before` (an upload in flight keeps its
 * blob); returns the hashes. On PostgreSQL the delete locks the rows, so an upload of the same bytes waits for
 * the sweep to commit and then writes the blob afresh; SQLite has one writer.
 */
export async function deleteOrphanBlobs(trx: Kysely<DB>, before: number, limit: number): Promise<string[]> {
  const rows = await trx
    .deleteFrom('attachment_blobs')
    .where('sha256', 'in', (eb) =>
      eb
        .selectFrom('attachment_blobs as b')
        .select('b.sha256')
        .where('b.touched_at', '<', before)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('uploads as u').select('u.id').whereRef('u.sha256', '=', 'b.sha256'))),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(selectFrom('entry_attachments as a').select('a.id').whereRef('a.sha256', '=', 'b.sha256')),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(selectFrom('kb_article_files as f').select('f.id').whereRef('f.sha256', '=', 'b.sha256')),
          ),
        )
        .limit(limit),
    )
    .where('touched_at', '<', before)
    .returning('sha256')
    .execute()
  return rows.map((r) => r.sha256)
}
