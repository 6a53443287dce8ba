// The knowledge base (issue 17): categories, articles with their published revisions, the old slugs that
// redirect after a rename, helpfulness votes and deflection sessions (a suggestion shown while a customer types
// a new ticket's subject, an article opened, the ticket never submitted). Articles are searched with the
// ticket engines: an FTS5 table on SQLite (rowid = article id), a weighted tsvector column on PostgreSQL.
// Adds kb.edit and kb.publish to All Access, and kb.edit to Expanded Access, of existing installs.
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  const pk = dialect === 'postgres' ? 'serial' : 'integer'

  await db.schema
    .createTable('kb_categories')
    .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('category_id', 'integer', (c) => c.references('kb_categories.id').onDelete('set null'))
    /** JSON array of normalised tags. */
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    /** JSON array of help topic ids. */
    .addColumn('topic_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('helpful_yes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helpful_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('kb_articles_listing')
    .on('kb_articles')
    .columns(['status', 'visibility', 'updated_at'])
    .execute()
  await db.schema.createIndex('kb_articles_category').on('kb_articles').column('category_id').execute()

  await db.schema
    .createTable('kb_revisions')
    .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('kb_revisions_number', ['article_id', 'number'])
    .execute()

  // An article's earlier slugs: a request for one is answered with a redirect to the current slug.
  await db.schema
    .createTable('kb_old_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  // One row per new-ticket form visit that was shown suggestions (the key is made by the browser).
  await db.schema
    .createTable('kb_deflections')
    .addColumn('session_key', 'text', (c) => c.primaryKey())
    .addColumn('shown_at', ts, (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.references('kb_articles.id').onDelete('set null'))
    .addColumn('opened_at', ts)
    .addColumn('left_at', ts)
    .addColumn('submitted_at', ts)
    .execute()
  await db.schema.createIndex('kb_deflections_shown').on('kb_deflections').column('shown_at').execute()

  if (dialect === 'sqlite') {
    await sql`create virtual table kb_search using fts5(
      title, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  } else {
    await sql`alter table kb_articles add column search_tsv tsvector generated always as (
      setweight(to_tsvector('simple', title), 'A') ||
      setweight(to_tsvector('simple', left(body_text, 100000)), 'B')) stored`.execute(db)
    await sql`create index kb_articles_search on kb_articles using gin (search_tsv)`.execute(db)
  }

  const grant = async (roleKey: string, add: string[]) => {
    const role = (await db
      .selectFrom('roles')
      .select(['id', 'permissions'])
      .where('key', '=', roleKey)
      .executeTakeFirst()) as { id: number; permissions: string } | undefined
    if (!role) return
    const permissions = JSON.parse(role.permissions) as string[]
    const missing = add.filter((p) => !permissions.includes(p))
    if (missing.length)
      await db
        .updateTable('roles')
        .set({ permissions: JSON.stringify([...permissions, ...missing]) })
        .where('id', '=', role.id)
        .execute()
  }
  await grant('all_access', ['kb.edit', 'kb.publish'])
  await grant('expanded_access', ['kb.edit'])
}
