// Knowledge-base SQL: categories, articles, revisions, old slugs, votes and deflection sessions.
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { DB, KbArticleTable, KbCategoryTable } from '../db/schema.ts'
import type { KbScope } from '../policies/kbPolicy.ts'

export type KbCategoryRow = Selectable<KbCategoryTable>
export type KbArticleRow = Omit<Selectable<KbArticleTable>, never>

const ARTICLE_COLUMNS = [
  'id',
  'slug',
  'title',
  'body_html',
  'body_text',
  'category_id',
  'tags',
  'topic_ids',
  'visibility',
  'status',
  'author_id',
  'version',
  'helpful_yes',
  'helpful_no',
  'published_at',
  'created_at',
  'updated_at',
] as const

export async function listCategoriesWithCounts(
  db: Kysely<DB>,
  scope: KbScope,
): Promise<(KbCategoryRow & { articles: number })[]> {
  const rows = await db
    .selectFrom('kb_categories as c')
    .leftJoin('kb_articles as a', (j) =>
      j
        .onRef('a.category_id', '=', 'c.id')
        .on('a.status', 'in', scope.statuses)
        .on('a.visibility', 'in', scope.visibilities),
    )
    .select(['c.id', 'c.slug', 'c.name', 'c.description', 'c.position', 'c.created_at', 'c.updated_at'])
    .select((eb) => eb.fn.count<number>('a.id').as('articles'))
    .groupBy(['c.id', 'c.slug', 'c.name', 'c.description', 'c.position', 'c.created_at', 'c.updated_at'])
    .orderBy('c.position')
    .orderBy('c.name')
    .orderBy('c.id')
    .execute()
  return rows.map((r) => ({ ...r, articles: Number(r.articles) }))
}

export async function findCategory(db: Kysely<DB>, ref: number | string): Promise<KbCategoryRow | undefined> {
  return db
    .selectFrom('kb_categories')
    .selectAll()
    .where(typeof ref === 'number' ? 'id' : 'slug', '=', ref)
    .executeTakeFirst()
}

export async function insertCategory(db: Kysely<DB>, row: Insertable<KbCategoryTable>): Promise<number> {
  const { id } = await db.insertInto('kb_categories').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function updateCategoryRow(db: Kysely<DB>, id: number, set: Updateable<KbCategoryTable>) {
  await db.updateTable('kb_categories').set(set).where('id', '=', id).execute()
}

export async function deleteCategoryRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('kb_articles').set({ category_id: null }).where('category_id', '=', id).execute()
  await db.deleteFrom('kb_categories').where('id', '=', id).execute()
}

export interface ArticleListFilter {
  categoryId?: number | undefined
  status?: string | undefined
  tag?: string | undefined
  /** Keyset: the `updated_at` and id of the last article of the previous page. */
  after?: { updatedAt: number; id: number } | undefined
  limit: number
}

export async function listArticleRows(
  db: Kysely<DB>,
  scope: KbScope,
  filter: ArticleListFilter,
): Promise<KbArticleRow[]> {
  if (scope.statuses.length === 0 || scope.visibilities.length === 0) return []
  let q = db
    .selectFrom('kb_articles')
    .select(ARTICLE_COLUMNS)
    .where('status', 'in', scope.statuses)
    .where('visibility', 'in', scope.visibilities)
  if (filter.categoryId !== undefined) q = q.where('category_id', '=', filter.categoryId)
  if (filter.status !== undefined) q = q.where('status', '=', filter.status as never)
  if (filter.tag !== undefined) {
    // Tags are a JSON array of normalised words, which hold no quotes: the quoted tag is an exact element.
    q = q.where('tags', 'like', `%${JSON.stringify(filter.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  }
  const after = filter.after
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('updated_at', '<', after.updatedAt),
        eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)]),
      ]),
    )
  return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()
}

export async function articlesByIds(db: Kysely<DB>, ids: number[]): Promise<KbArticleRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('kb_articles').select(ARTICLE_COLUMNS).where('id', 'in', ids).execute()
}

export async function findArticle(db: Kysely<DB>, ref: number | string): Promise<KbArticleRow | undefined> {
  return db
    .selectFrom('kb_articles')
    .select(ARTICLE_COLUMNS)
    .where(typeof ref === 'number' ? 'id' : 'slug', '=', ref)
    .executeTakeFirst()
}

/** The article that once had this slug, if any. */
export async function articleIdOfOldSlug(db: Kysely<DB>, slug: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('kb_old_slugs')
    .select('article_id')
    .where('slug', '=', slug)
    .executeTakeFirst()
  return row?.article_id
}

export async function insertArticle(db: Kysely<DB>, row: Insertable<KbArticleTable>): Promise<number> {
  const { id } = await db.insertInto('kb_articles').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

/** Changes an article if it is still at `version`; false when someone else changed it first. */
export async function updateArticleRow(
  db: Kysely<DB>,
  id: number,
  version: number,
  set: Updateable<KbArticleTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('kb_articles')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function deleteArticleRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('kb_deflections').set({ article_id: null }).where('article_id', '=', id).execute()
  await db.deleteFrom('kb_old_slugs').where('article_id', '=', id).execute()
  await db.deleteFrom('kb_revisions').where('article_id', '=', id).execute()
  await db.deleteFrom('kb_articles').where('id', '=', id).execute()
}

export async function insertOldSlug(db: Kysely<DB>, slug: string, articleId: number, at: number) {
  await db
    .insertInto('kb_old_slugs')
    .values({ slug, article_id: articleId, created_at: at })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ article_id: articleId, created_at: at }))
    .execute()
}

export async function deleteOldSlug(db: Kysely<DB>, slug: string): Promise<void> {
  await db.deleteFrom('kb_old_slugs').where('slug', '=', slug).execute()
}

export async function insertRevision(
  db: Kysely<DB>,
  row: { articleId: number; title: string; bodyHtml: string; authorId: number; at: number },
): Promise<number> {
  const last = await db
    .selectFrom('kb_revisions')
    .select((eb) => eb.fn.max<number>('number').as('n'))
    .where('article_id', '=', row.articleId)
    .executeTakeFirst()
  const number = Number(last?.n ?? 0) + 1
  await db
    .insertInto('kb_revisions')
    .values({
      article_id: row.articleId,
      number,
      title: row.title,
      body_html: row.bodyHtml,
      author_id: row.authorId,
      created_at: row.at,
    })
    .execute()
  return number
}

export async function listRevisionRows(db: Kysely<DB>, articleId: number) {
  return db
    .selectFrom('kb_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.number', 'r.title', 'r.body_html', 'r.author_id', 'u.name as author_name', 'r.created_at'])
    .where('r.article_id', '=', articleId)
    .orderBy('r.number', 'desc')
    .execute()
}

export async function findRevision(db: Kysely<DB>, articleId: number, number: number) {
  return db
    .selectFrom('kb_revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('number', '=', number)
    .executeTakeFirst()
}

export async function userNames(db: Kysely<DB>, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

export async function existingTopicIds(db: Kysely<DB>, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('help_topics').select('id').where('id', 'in', ids).execute()
  return rows.map((r) => r.id)
}

/**
 * Records `voter`'s answer for an article, once: a second answer from the same voter changes the first (the
 * counts move from one side to the other) and an unchanged one counts nothing.
 */
export async function recordVote(
  db: Kysely<DB>,
  articleId: number,
  voter: string,
  helpful: boolean,
  at: number,
): Promise<void> {
  const before = await db
    .selectFrom('kb_votes')
    .select('helpful')
    .where('article_id', '=', articleId)
    .where('voter', '=', voter)
    .executeTakeFirst()
  const value = helpful ? 1 : 0
  if (before?.helpful === value) return
  if (before)
    await db
      .updateTable('kb_votes')
      .set({ helpful: value, at })
      .where('article_id', '=', articleId)
      .where('voter', '=', voter)
      .execute()
  else await db.insertInto('kb_votes').values({ article_id: articleId, voter, helpful: value, at }).execute()
  const count = (column: 'helpful_yes' | 'helpful_no', by: number) => sql<number>`${sql.ref(column)} + ${by}`
  await db
    .updateTable('kb_articles')
    .set({
      helpful_yes: count('helpful_yes', helpful ? 1 : before ? -1 : 0),
      helpful_no: count('helpful_no', helpful ? (before ? -1 : 0) : 1),
    })
    .where('id', '=', articleId)
    .execute()
}

export type DeflectionStep = 'shown' | 'opened' | 'left' | 'submitted'

/** Records one step of a new-ticket form visit; `shown` starts the session, the others need it started. */
export async function recordDeflectionStep(
  db: Kysely<DB>,
  key: string,
  step: DeflectionStep,
  at: number,
  articleId: number | null,
): Promise<void> {
  if (step === 'shown') {
    await db
      .insertInto('kb_deflections')
      .values({ session_key: key, shown_at: at })
      .onConflict((oc) => oc.column('session_key').doNothing())
      .execute()
    return
  }
  const set =
    step === 'opened'
      ? { opened_at: at, article_id: articleId }
      : step === 'left'
        ? { left_at: at }
        : { submitted_at: at }
  let q = db.updateTable('kb_deflections').set(set).where('session_key', '=', key)
  // The first article opened is the one that gets the credit; a session submitted stays submitted.
  if (step === 'opened') q = q.where('opened_at', 'is', null)
  if (step === 'left') q = q.where('left_at', 'is', null)
  await q.execute()
}

export interface DeflectionCounts {
  suggestionsShown: number
  articlesOpened: number
  ticketsSubmitted: number
  deflections: number
}

export async function deflectionCounts(db: Kysely<DB>, since: number): Promise<DeflectionCounts> {
  const row = await db
    .selectFrom('kb_deflections')
    .select((eb) => [
      eb.fn.countAll<number>().as('shown'),
      eb.fn.count<number>('opened_at').as('opened'),
      eb.fn.count<number>('submitted_at').as('submitted'),
      eb.fn
        .sum<number>(
          sql`case when opened_at is not null and left_at is not null and submitted_at is null then 1 else 0 end`,
        )
        .as('deflected'),
    ])
    .where('shown_at', '>=', since)
    .executeTakeFirstOrThrow()
  return {
    suggestionsShown: Number(row.shown),
    articlesOpened: Number(row.opened),
    ticketsSubmitted: Number(row.submitted),
    deflections: Number(row.deflected ?? 0),
  }
}

/** Deflections per article (the article opened in a session that ended without a ticket). */
export async function deflectionsByArticle(db: Kysely<DB>, since: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('kb_deflections')
    .select(['article_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('shown_at', '>=', since)
    .where('article_id', 'is not', null)
    .where('left_at', 'is not', null)
    .where('submitted_at', 'is', null)
    .groupBy('article_id')
    .execute()
  return new Map(rows.map((r) => [r.article_id!, Number(r.n)]))
}

export async function helpfulnessRows(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('kb_articles')
    .select(['id', 'slug', 'title', 'status', 'visibility', 'helpful_yes', 'helpful_no'])
    .orderBy(sql`helpful_yes + helpful_no`, 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** Whether a department's auto-response lists suggested articles. */
export async function departmentSuggestsArticles(db: Kysely<DB>, departmentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('departments')
    .select('autoresponse_articles')
    .where('id', '=', departmentId)
    .executeTakeFirst()
  return row?.autoresponse_articles === 1
}

/** The departments whose auto-responses list suggested articles. */
export async function departmentsSuggestingArticles(db: Kysely<DB>): Promise<number[]> {
  const rows = await db
    .selectFrom('departments')
    .select('id')
    .where('autoresponse_articles', '=', 1)
    .execute()
  return rows.map((r) => r.id)
}

/** Sets which departments' auto-responses list suggested articles: exactly `ids`. */
export async function setDepartmentsSuggestingArticles(db: Kysely<DB>, ids: number[]): Promise<void> {
  await db
    .updateTable('departments')
    .set({ autoresponse_articles: 0 })
    .where('autoresponse_articles', '=', 1)
    .execute()
  if (ids.length > 0)
    await db.updateTable('departments').set({ autoresponse_articles: 1 }).where('id', 'in', ids).execute()
}

export interface KbFileRow {
  id: number
  article_id: number
  filename: string
  content_type: string
  size: number
  sha256: string
  created_at: number
}

const fileColumns = ['id', 'article_id', 'filename', 'content_type', 'size', 'sha256', 'created_at'] as const

export async function insertArticleFile(
  trx: Kysely<DB>,
  row: Omit<KbFileRow, 'id'> & { added_by: number },
): Promise<number> {
  const inserted = await trx
    .insertInto('kb_article_files')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()
  return inserted.id
}

export function articleFiles(db: Kysely<DB>, articleId: number): Promise<KbFileRow[]> {
  return db
    .selectFrom('kb_article_files')
    .select(fileColumns)
    .where('article_id', '=', articleId)
    .orderBy('id')
    .execute()
}

export function findArticleFile(db: Kysely<DB>, id: number): Promise<KbFileRow | undefined> {
  return db.selectFrom('kb_article_files').select(fileColumns).where('id', '=', id).executeTakeFirst()
}

export async function deleteArticleFile(trx: Kysely<DB>, id: number): Promise<void> {
  await trx.deleteFrom('kb_article_files').where('id', '=', id).execute()
}
