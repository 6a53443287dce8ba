// The knowledge base (issue 17): categories, articles, revisions, search, suggestions for deflection,
// "Was this helpful?" and the deflection beacon. Reading is open to everyone, scoped by who asks (visitors:
// public; customers: also `customers`; agents: also internal; writers: also drafts and archived); writing is
// for agents with kb.edit, publishing for kb.publish (commands/kb.ts, policies/kbPolicy.ts).
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import {
  createKbArticle,
  createKbCategory,
  CreateKbArticle,
  CreateKbCategory,
  DeflectionBeacon,
  deleteKbArticle,
  deleteKbCategory,
  recordDeflection,
  restoreKbRevision,
  updateKbArticle,
  UpdateKbArticle,
  updateKbCategory,
  UpdateKbCategory,
  voteOnArticle,
  KbSettings,
  setKbSettings,
  addArticleFiles,
  removeArticleFile,
} from '../commands/kb.ts'
import { PREVIEWABLE } from '../commands/uploads.ts'
import type { Actor } from '../policies/actor.ts'
import { sendSafely } from './attachmentRoutes.ts'
import { KB_STATUSES } from '../domain/kb.ts'
import { Tag } from '../domain/tags.ts'
import { notFound } from '../errors.ts'
import { kbCan } from '../policies/kbPolicy.ts'
import {
  KbArticleOut,
  KbArticleSummaryOut,
  KbCategoryOut,
  KbRevisionOut,
  KbFileOut,
  presentKbArticle,
  presentKbFile,
  presentKbCategory,
  presentKbRevision,
  presentKbSummary,
} from '../presenters/kbPresenter.ts'
import {
  authorNames,
  getKbArticle,
  kbStats,
  kbSettingsDepartments,
  kbArticleFile,
  listKbArticleFiles,
  listKbArticles,
  listKbCategories,
  listKbRevisions,
  suggestKbArticles,
} from '../queries/kbQueries.ts'
import { AppError } from '../errors.ts'
import { ErrorOut, requireAgent } from './http.ts'

const CategoryParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) })
const ArticleParams = z.object({ ref: z.string().min(1).max(100).describe('The article id or slug') })
const RevisionParams = ArticleParams.extend({ number: z.coerce.number().int().positive().max(1_000_000) })
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }

/** `12` is an id, anything else a slug. */
function refOf(ref: string): number | string {
  if (/^\d{1,10}$/.test(ref)) {
    const n = Number(ref)
    if (n > 0 && n <= 2_147_483_647) return n
    throw notFound('article')
  }
  return ref
}

const ListArticles = z.object({
  q: z.string().max(500).optional().describe('Words to search titles and bodies for: ranked, with snippets'),
  categoryId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  status: z.enum(KB_STATUSES).optional(),
  tag: Tag.optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
})

export function kbRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/kb/categories',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Knowledge-base categories',
        description: 'With the number of articles in each that you may read; empty ones only for writers.',
        response: { 200: z.object({ items: z.array(KbCategoryOut) }) },
      },
    },
    async (req) => ({ items: (await listKbCategories(app, req.actor)).map(presentKbCategory) }),
  )

  r.post(
    '/api/v1/kb/categories',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Add a category',
        description: 'Needs kb.edit (or an admin). A slug already used answers 409 `slug_taken`.',
        body: CreateKbCategory,
        response: { 201: z.object({ category: KbCategoryOut }), ...errors },
      },
    },
    async (req, reply) => {
      const row = await createKbCategory(app, requireAgent(req), req.body, { channel: req.channel })
      return reply.code(201).send({ category: presentKbCategory(row) })
    },
  )

  r.patch(
    '/api/v1/kb/categories/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Change a category',
        params: CategoryParams,
        body: UpdateKbCategory,
        response: { 200: z.object({ category: KbCategoryOut }), ...errors },
      },
    },
    async (req) => ({
      category: presentKbCategory(
        await updateKbCategory(app, requireAgent(req), req.params.id, req.body, { channel: req.channel }),
      ),
    }),
  )

  r.delete(
    '/api/v1/kb/categories/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Delete a category',
        description: 'Its articles stay, without a category.',
        params: CategoryParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteKbCategory(app, requireAgent(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/kb/articles',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: 'List or search articles',
        description:
          'The articles you may read, newest change first (keyset `cursor`). With `q`: the best matches of ' +
          'every word in titles and bodies, ranked, with highlighted snippets (not paged).',
        querystring: ListArticles,
        response: {
          200: z.object({ items: z.array(KbArticleSummaryOut), nextCursor: z.string().nullable() }),
          400: ErrorOut,
        },
      },
    },
    async (req) => {
      const { items, nextCursor } = await listKbArticles(app, req.actor, req.query)
      const authors = await authorNames(
        app,
        items.map((i) => i.article),
      )
      return { items: items.map((i) => presentKbSummary(i.article, req.actor, authors, i)), nextCursor }
    },
  )

  r.get(
    '/api/v1/kb/suggest',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Articles for what someone is typing',
        description:
          'For deflection: the best published articles matching any word of `q` (a new ticket subject), ' +
          'common words left out. Visitors get public articles; signed-in customers also `customers` ones.',
        querystring: z.object({
          q: z.string().max(500),
          limit: z.coerce.number().int().min(1).max(10).default(5),
        }),
        response: { 200: z.object({ items: z.array(KbArticleSummaryOut) }), 400: ErrorOut },
      },
    },
    async (req) => {
      const hits = await suggestKbArticles(app, req.actor, req.query.q, req.query.limit)
      const authors = await authorNames(
        app,
        hits.map((h) => h.article),
      )
      return { items: hits.map((h) => presentKbSummary(h.article, req.actor, authors, h)) }
    },
  )

  r.get(
    '/api/v1/kb/articles/:ref',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: 'One article',
        description:
          'By id or slug. An old slug of a renamed article answers 301 to the current one, with ' +
          '`{ "redirect": "<current slug>" }`. An article you may not read answers 404, as a missing one.',
        params: ArticleParams,
        response: {
          200: z.object({ article: KbArticleOut }),
          301: z.object({ redirect: z.string() }),
          404: ErrorOut,
        },
      },
    },
    async (req, reply) => {
      const found = await getKbArticle(app, req.actor, refOf(req.params.ref))
      if ('redirect' in found)
        return reply
          .code(301)
          .header('location', `/api/v1/kb/articles/${found.redirect}`)
          .send({ redirect: found.redirect })
      const authors = await authorNames(app, [found.article])
      return { article: presentKbArticle(found.article, req.actor, authors) }
    },
  )

  r.post(
    '/api/v1/kb/articles',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Write an article',
        description:
          'Needs kb.edit; any status but `draft` needs kb.publish (403 `kb_edit_forbidden` / ' +
          '`kb_publish_forbidden`). The body is HTML, sanitised as inbound mail is. Publishing keeps a revision.',
        body: CreateKbArticle,
        response: { 201: z.object({ article: KbArticleOut }), ...errors },
      },
    },
    async (req, reply) => {
      const row = await createKbArticle(app, requireAgent(req), req.body, { channel: req.channel })
      return reply
        .code(201)
        .send({ article: presentKbArticle(row, req.actor, await authorNames(app, [row])) })
    },
  )

  r.patch(
    '/api/v1/kb/articles/:ref',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Change an article',
        description:
          'Needs kb.edit; publishing, archiving or changing a published article needs kb.publish. A new slug ' +
          'keeps the old one redirecting. A stale `version` answers 409 `article_version_conflict`.',
        params: ArticleParams,
        body: UpdateKbArticle,
        response: { 200: z.object({ article: KbArticleOut }), ...errors },
      },
    },
    async (req) => {
      const row = await updateKbArticle(app, requireAgent(req), refOf(req.params.ref), req.body, {
        channel: req.channel,
      })
      return { article: presentKbArticle(row, req.actor, await authorNames(app, [row])) }
    },
  )

  r.delete(
    '/api/v1/kb/articles/:ref',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Delete an article',
        description: 'A draft never published needs kb.edit; any other article kb.publish.',
        params: ArticleParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteKbArticle(app, requireAgent(req), refOf(req.params.ref), { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/kb/articles/:ref/revisions',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: "An article's published revisions",
        description: 'Newest first, each with its full text. Needs kb.edit.',
        params: ArticleParams,
        response: { 200: z.object({ items: z.array(KbRevisionOut) }), ...errors },
      },
    },
    async (req) => {
      const { revisions } = await listKbRevisions(app, requireAgent(req), refOf(req.params.ref))
      return { items: revisions.map(presentKbRevision) }
    },
  )

  r.post(
    '/api/v1/kb/articles/:ref/revisions/:number/restore',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Restore a revision',
        description:
          'Makes the revision the article text again. On a published article that publishes it as a new ' +
          'revision, so it needs kb.publish; on a draft kb.edit.',
        params: RevisionParams,
        response: { 200: z.object({ article: KbArticleOut }), ...errors },
      },
    },
    async (req) => {
      const row = await restoreKbRevision(app, requireAgent(req), refOf(req.params.ref), req.params.number, {
        channel: req.channel,
      })
      return { article: presentKbArticle(row, req.actor, await authorNames(app, [row])) }
    },
  )

  r.post(
    '/api/v1/kb/articles/:ref/feedback',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Was this helpful?',
        description:
          'Counts one answer per person for a published article you may read; answering again changes the answer.',
        params: ArticleParams,
        body: z.object({ helpful: z.boolean() }),
        response: { 204: z.null(), 400: ErrorOut, 404: ErrorOut },
      },
    },
    async (req, reply) => {
      await voteOnArticle(app, req.actor, refOf(req.params.ref), req.body.helpful, req.ip)
      return reply.code(204).send(null)
    },
  )

  r.post(
    '/api/v1/kb/deflection',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Deflection beacon',
        description:
          'Sent by the new-ticket form: `shown` when it first shows suggestions, `opened` with the article, ' +
          '`left` when the form is left without submitting, `submitted` when the ticket is sent. A visit that ' +
          'opened an article and left without submitting counts as a deflection.',
        body: DeflectionBeacon,
        response: { 204: z.null(), 400: ErrorOut, 404: ErrorOut },
      },
    },
    async (req, reply) => {
      await recordDeflection(app, req.actor, req.body)
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/kb/articles/:ref/files',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['knowledge base'],
        summary: "An article's files and pictures",
        description: 'For whoever may read the article (404 otherwise).',
        params: ArticleParams,
        response: { 200: z.object({ items: z.array(KbFileOut) }), ...errors },
      },
    },
    async (req) => ({
      items: (await listKbArticleFiles(app, req.actor, refOf(req.params.ref))).map(presentKbFile),
    }),
  )

  r.post(
    '/api/v1/kb/articles/:ref/files',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Keep uploads with an article',
        description:
          'Upload the files first (POST /api/v1/uploads), then send their ids here. kb.edit, and kb.publish once ' +
          'the article is published. Answers with all of its files.',
        params: ArticleParams,
        body: z.object({ uploads: z.array(z.number().int().positive()).min(1).max(20) }),
        response: { 201: z.object({ items: z.array(KbFileOut) }), ...errors },
      },
    },
    async (req, reply) => {
      const files = await addArticleFiles(app, requireAgent(req), refOf(req.params.ref), req.body.uploads, {
        channel: req.channel,
      })
      return reply.code(201).send({ items: files.map(presentKbFile) })
    },
  )

  const FileParams = z.object({ id: z.coerce.number().int().positive(), name: z.string().optional() })
  const serveFile = async (
    req: { actor?: Actor | undefined; params: { id: number } },
    reply: FastifyReply,
  ) => {
    const { file, content } = await kbArticleFile(app, req.actor, req.params.id)
    reply.header('cache-control', 'private, max-age=300')
    if (!PREVIEWABLE.has(file.content_type))
      return sendSafely(reply, 'application/octet-stream', file.filename, content)
    // A picture (its bytes sniffed on upload: PNG, JPEG, GIF or WebP, never SVG) is served as one, for <img>.
    // Without `sandbox`: a sandboxed response has an opaque origin, and the browser refuses it to the page.
    return reply
      .type(file.content_type)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .send(content)
  }
  for (const url of ['/api/v1/kb/files/:id', '/api/v1/kb/files/:id/:name'])
    r.get(
      url,
      {
        config: { policy: 'public' },
        schema: {
          tags: ['knowledge base'],
          summary: 'A file or picture of an article',
          description:
            'For whoever may read its article (404 otherwise). Files are downloads (Content-Disposition ' +
            'attachment, nosniff, a sandbox CSP, as ticket attachments); PNG, JPEG, GIF and WebP pictures are ' +
            "served inline with their type, nosniff and `default-src 'none'`, so an article can show them.",
          params: FileParams,
        },
      },
      serveFile,
    )

  r.delete(
    '/api/v1/kb/files/:id',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Remove a file from its article',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeArticleFile(app, requireAgent(req), req.params.id, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )

  r.get(
    '/api/v1/kb/settings',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Knowledge-base settings',
        description: 'Which departments list suggested articles in their auto-responses.',
        response: { 200: KbSettings, ...errors },
      },
    },
    async () => ({ autoresponseDepartmentIds: await kbSettingsDepartments(app) }),
  )

  r.put(
    '/api/v1/kb/settings',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Change the knowledge-base settings',
        body: KbSettings,
        response: { 200: KbSettings, ...errors },
      },
    },
    async (req) => setKbSettings(app, requireAgent(req), req.body, req.channel),
  )

  r.get(
    '/api/v1/kb/stats',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Helpfulness and deflection figures',
        description: 'For writers (kb.edit or an admin): the last `days` days of the new-ticket form.',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(3650).default(30) }),
        response: {
          200: z.object({
            suggestionsShown: z.number(),
            articlesOpened: z.number(),
            ticketsSubmitted: z.number(),
            deflections: z.number(),
            articles: z.array(
              z.object({
                id: z.number(),
                slug: z.string(),
                title: z.string(),
                status: z.enum(KB_STATUSES),
                helpfulYes: z.number(),
                helpfulNo: z.number(),
                deflections: z.number(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const agent = requireAgent(req)
      if (!kbCan(agent, 'kb.edit'))
        throw new AppError(
          'forbidden',
          'kb_edit_forbidden',
          'The figures are for writers: kb.edit (or an admin).',
        )
      const stats = await kbStats(app, app.clock.now() - req.query.days * 86_400_000)
      return {
        ...stats,
        articles: stats.articles.map((a) => ({
          id: a.id,
          slug: a.slug,
          title: a.title,
          status: a.status,
          helpfulYes: a.helpful_yes,
          helpfulNo: a.helpful_no,
          deflections: a.deflections,
        })),
      }
    },
  )
}
