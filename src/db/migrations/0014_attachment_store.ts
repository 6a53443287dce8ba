// Attachments stored once by SHA-256 (issue 11). The bytes move out of entry_attachments into
// attachment_blobs, one row per distinct content: `content` holds them with the database store (the default,
// so SQLite stays one file), and is null when the disk store keeps them as a file named by the hash. Uploads
// are files a person sent before attaching them to a message: they belong to the uploader and expire unattached.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob'

  await db.schema
    .createTable('attachment_blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', bytes)
    .addColumn('created_at', ts, (c) => c.notNull())
    // Refreshed whenever an upload or an email reuses the content: the orphan sweep spares recent blobs.
    .addColumn('touched_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('uploads')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('uploader_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('attachment_blobs.sha256'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('uploads_expires').on('uploads').columns(['expires_at']).execute()

  await db.schema
    .alterTable('entry_attachments')
    .addColumn('sha256', 'text', (c) => c.references('attachment_blobs.sha256'))
    .execute()
  // The Content-ID of an inline part (without <>): cid: images in the entry's HTML point at it.
  await db.schema.alterTable('entry_attachments').addColumn('content_id', 'text').execute()

  let after = 0
  for (;;) {
    const rows = (await db
      .selectFrom('entry_attachments')
      .select(['id', 'content', 'created_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(100)
      .execute()) as { id: number; content: Buffer | Uint8Array; created_at: number }[]
    if (rows.length === 0) break
    for (const r of rows) {
      const content = Buffer.from(r.content)
      const sha256 = createHash('sha256').update(content).digest('hex')
      await db
        .insertInto('attachment_blobs')
        .values({
          sha256,
          size: content.length,
          content,
          created_at: Number(r.created_at),
          touched_at: Number(r.created_at),
        })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute()
      await db.updateTable('entry_attachments').set({ sha256 }).where('id', '=', r.id).execute()
    }
    after = rows.at(-1)!.id
  }
  await db.schema.alterTable('entry_attachments').dropColumn('content').execute()
  await db.schema
    .createIndex('entry_attachments_sha256')
    .on('entry_attachments')
    .columns(['sha256'])
    .execute()
}
