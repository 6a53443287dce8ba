// Knowledge-base search on PostgreSQL ranks a bounded set of candidates (issue 17): ts_rank reads each matching
// row's whole tsvector, so a word found in a third of 10,000 articles cost 87 ms (a sequential scan detoasting
// every vector). The candidates are the newest matches and the newest title matches, found through GIN indexes;
// a title has its own small tsvector for that. SQLite's FTS5 ranks inside its index and needs nothing here.
// Also: one "Was this helpful?" answer per person and article (a vote can be changed, not repeated).
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table kb_articles add column title_tsv tsvector generated always as (
      to_tsvector('simple', title)) stored`.execute(db)
    await sql`create index kb_articles_title_search on kb_articles using gin (title_tsv)`.execute(db)
  }
  await db.schema
    .createTable('kb_votes')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('voter', 'text', (c) => c.notNull())
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_votes_pk', ['article_id', 'voter'])
    .execute()
  await db.schema
    .alterTable('departments')
    .addColumn('autoresponse_articles', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}
