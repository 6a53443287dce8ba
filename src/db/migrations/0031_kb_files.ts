// Files and pictures of knowledge-base articles (issue 17): uploaded like ticket attachments (POST /api/v1/uploads,
// stored once by SHA-256 in the attachment store), then kept with the article; readable by whoever may read it.
import type { Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('kb_article_files')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('added_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('kb_article_files_article')
    .on('kb_article_files')
    .columns(['article_id', 'id'])
    .execute()
  await db.schema.createIndex('kb_article_files_sha256').on('kb_article_files').column('sha256').execute()
}
