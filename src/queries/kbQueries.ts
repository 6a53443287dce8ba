// Knowledge-base reads: categories with the articles each reader may see, article pages (an old slug answers
// with the current one), lists and ranked searches, suggestions for deflection, revisions, and the figures.
import type { App } from '../app.ts'
import { searchKbArticles, searchTerms } from '../db/dialect.ts'
import { SUGGEST_STOPWORDS } from '../domain/kb.ts'
import { AppError, notFound } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { canReadArticle, kbCan, kbReadScope } from '../policies/kbPolicy.ts'
import {
  articleFiles,
  articleIdOfOldSlug,
  articlesByIds,
  deflectionCounts,
  deflectionsByArticle,
  departmentSuggestsArticles,
  departmentsSuggestingArticles,
  findArticle,
  findArticleFile,
  helpfulnessRows,
  listArticleRows,
  listCategoriesWithCounts,
  listRevisionRows,
  userNames,
  type KbArticleRow,
} from '../repositories/kbRepo.ts'

export async function listKbCategories(app: App, actor: Actor | undefined) {
  const rows = await listCategoriesWithCounts(app.db.read, kbReadScope(actor))
  // Readers are not shown a category with nothing in it for them; writers see every category.
  return kbCan(actor, 'kb.edit') ? rows : rows.filter((r) => r.articles > 0)
}

export type ArticleLookup = { article: KbArticleRow } | { redirect: string }

/** An article by id or slug; a renamed article's old slug answers with the current slug. Unreadable is 404. */
export async function getKbArticle(
  app: App,
  actor: Actor | undefined,
  ref: number | string,
): Promise<ArticleLookup> {
  const row = await findArticle(app.db.read, ref)
  if (row) {
    if (!canReadArticle(actor, row)) throw notFound('article')
    return { article: row }
  }
  if (typeof ref === 'string') {
    const id = await articleIdOfOldSlug(app.db.read, ref)
    const current = id !== undefined ? await findArticle(app.db.read, id) : undefined
    if (current && canReadArticle(actor, current)) return { redirect: current.slug }
  }
  throw notFound('article')
}

export interface KbHit {
  article: KbArticleRow
  titleMarked: string | null
  snippetMarked: string | null
}

export interface ArticleListQuery {
  q?: string | undefined
  categoryId?: number | undefined
  status?: 'draft' | 'published' | 'archived' | undefined
  tag?: string | undefined
  cursor?: string | undefined
  limit: number
}

const badCursor = () =>
  new AppError('bad_request', 'invalid_cursor', 'That cursor is not one this list gave out.')

export async function listKbArticles(
  app: App,
  actor: Actor | undefined,
  query: ArticleListQuery,
): Promise<{ items: KbHit[]; nextCursor: string | null }> {
  const scope = kbReadScope(actor)
  if (query.status !== undefined) scope.statuses = scope.statuses.filter((s) => s === query.status)
  if (query.q !== undefined && query.q.trim() !== '') {
    // A search is ranked, not paged: the best `limit` matches.
    // Words like "the" or "my" match nearly every article and only slow the ranking down: they are left out
    // unless the search is nothing but such words.
    const terms = searchTerms(query.q)
    const meaningful = terms.filter((t) => !SUGGEST_STOPWORDS.has(t.toLowerCase()))
    const hits = await searchKbArticles(app.db.dialect, app.db.heavyRead, {
      terms: meaningful.length > 0 ? meaningful : terms,
      mode: 'all',
      statuses: scope.statuses,
      visibilities: scope.visibilities,
      categoryId: query.categoryId,
      limit: query.limit,
    })
    return { items: await withArticles(app, hits, query.tag), nextCursor: null }
  }
  let after: { updatedAt: number; id: number } | undefined
  if (query.cursor !== undefined) {
    const m = /^(\d{1,16})\.(\d{1,10})$/.exec(query.cursor)
    if (!m) throw badCursor()
    after = { updatedAt: Number(m[1]), id: Number(m[2]) }
  }
  const rows = await listArticleRows(app.db.read, scope, {
    categoryId: query.categoryId,
    tag: query.tag,
    after,
    limit: query.limit + 1,
  })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    items: page.map((article) => ({ article, titleMarked: null, snippetMarked: null })),
    nextCursor: rows.length > query.limit && last ? `${last.updated_at}.${last.id}` : null,
  }
}

async function withArticles(
  app: App,
  hits: { id: number; titleMarked: string; snippetMarked: string }[],
  tag?: string,
): Promise<KbHit[]> {
  const rows = new Map(
    (
      await articlesByIds(
        app.db.read,
        hits.map((h) => h.id),
      )
    ).map((r) => [r.id, r]),
  )
  const out: KbHit[] = []
  for (const h of hits) {
    const article = rows.get(h.id)
    if (!article) continue
    if (tag !== undefined && !(JSON.parse(article.tags) as string[]).includes(tag)) continue
    out.push({ article, titleMarked: h.titleMarked, snippetMarked: h.snippetMarked })
  }
  return out
}

/**
 * The best published articles for what someone is typing (a new ticket's subject): any of its words, common
 * words left out, best first. Visitors get public articles, signed-in customers also `customers` ones.
 */
export async function suggestKbArticles(app: App, actor: Actor | undefined, q: string, limit: number) {
  const scope = kbReadScope(actor)
  const terms = searchTerms(q).filter((t) => t.length >= 2 && !SUGGEST_STOPWORDS.has(t.toLowerCase()))
  const hits = await searchKbArticles(app.db.dialect, app.db.heavyRead, {
    terms,
    mode: 'any',
    statuses: ['published'],
    visibilities: scope.visibilities,
    limit,
  })
  return withArticles(app, hits)
}

/**
 * The auto-response's list of public articles that best match a new ticket's subject, as lines of text with their
 * addresses, when the ticket's department asks for it (`departments.autoresponse_articles`); otherwise empty.
 * Public articles only, whoever the requester is: a mail can be forwarded.
 */
export async function autoresponseArticles(
  app: App,
  ticket: { departmentId: number; subject: string },
  limit = 3,
): Promise<string> {
  if (!(await departmentSuggestsArticles(app.db.read, ticket.departmentId))) return ''
  const found = await suggestKbArticles(app, undefined, ticket.subject, limit)
  if (found.length === 0) return ''
  const lines = found.map(
    (f) =>
      `- ${f.article.title}: ${app.config.mail.publicUrl}/help/articles/${encodeURIComponent(f.article.slug)}`,
  )
  return `\n\nThese articles may already answer your question:\n${lines.join('\n')}`
}

export async function kbSettingsDepartments(app: App): Promise<number[]> {
  return departmentsSuggestingArticles(app.db.read)
}

export async function listKbRevisions(app: App, agent: AgentActor, ref: number | string) {
  const row = await findArticle(app.db.read, ref)
  if (!row || !canReadArticle(agent, row)) throw notFound('article')
  if (!kbCan(agent, 'kb.edit'))
    throw new AppError('forbidden', 'kb_edit_forbidden', 'Revisions are for writers: kb.edit (or an admin).')
  return { article: row, revisions: await listRevisionRows(app.db.read, row.id) }
}

export async function authorNames(app: App, rows: KbArticleRow[]): Promise<Map<number, string>> {
  return userNames(app.db.read, [...new Set(rows.map((r) => r.author_id))])
}

/** Helpfulness per article and deflection counts since `since`, for the knowledge-base screen. */
export async function kbStats(app: App, since: number) {
  const [counts, byArticle, helpful] = await Promise.all([
    deflectionCounts(app.db.read, since),
    deflectionsByArticle(app.db.read, since),
    helpfulnessRows(app.db.read, 200),
  ])
  return {
    ...counts,
    articles: helpful.map((a) => ({ ...a, deflections: byArticle.get(a.id) ?? 0 })),
  }
}

/** The files of an article the reader may read (404 otherwise, as for the article itself). */
export async function listKbArticleFiles(app: App, actor: Actor | undefined, ref: number | string) {
  const row = await findArticle(app.db.read, ref)
  if (!row || !canReadArticle(actor, row)) throw notFound('article')
  return articleFiles(app.db.read, row.id)
}

/** One file with its content, for whoever may read its article; anyone else gets the 404 of a missing one. */
export async function kbArticleFile(app: App, actor: Actor | undefined, fileId: number) {
  const file = await findArticleFile(app.db.read, fileId)
  const article = file ? await findArticle(app.db.read, file.article_id) : undefined
  if (!file || !article || !canReadArticle(actor, article)) throw notFound('file')
  return { file, content: await app.attachments.read(app.db.read, file.sha256) }
}
