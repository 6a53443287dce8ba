// Knowledge-base writes (issue 17): categories and articles, their published revisions and restores, slug
// renames (the old slug keeps redirecting), "Was this helpful?" votes and the deflection beacon. kb.edit
// writes; kb.publish is needed for anything readers see change (see policies/kbPolicy.ts).
import { createHmac } from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import { indexKbArticle } from '../db/dialect.ts'
import type { DB } from '../db/schema.ts'
import {
  articleText,
  KB_SLUG_MAX,
  KB_SLUG_PATTERN,
  KB_STATUSES,
  KB_VISIBILITIES,
  sanitizeArticleHtml,
  slugify,
  type KbStatus,
} from '../domain/kb.ts'
import { TagList } from '../domain/tags.ts'
import { AppError, badRequest, notFound } from '../errors.ts'
import { signingKey } from '../mail/messageId.ts'
import { existingDepartmentIds } from '../repositories/departmentRepo.ts'
import { deleteUploads, ownUploads } from '../repositories/attachmentRepo.ts'
import { requireAdmin } from './admin/adminWrites.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { canReadArticle, kbCan, permissionForChange, type KbPermission } from '../policies/kbPolicy.ts'
import { insertEvents, type Channel } from '../repositories/eventRepo.ts'
import {
  recordVote,
  articleFiles,
  deleteArticleFile,
  findArticleFile,
  insertArticleFile,
  type KbFileRow,
  departmentsSuggestingArticles,
  setDepartmentsSuggestingArticles,
  deleteArticleRow,
  deleteCategoryRow,
  deleteOldSlug,
  existingTopicIds,
  findArticle,
  findCategory,
  findRevision,
  insertArticle,
  insertCategory,
  insertOldSlug,
  insertRevision,
  recordDeflectionStep,
  updateArticleRow,
  updateCategoryRow,
  type KbArticleRow,
  type KbCategoryRow,
} from '../repositories/kbRepo.ts'
import { id, nonBlank, patchOf, text } from './fields.ts'

export const KbSlug = z.string().max(KB_SLUG_MAX).regex(KB_SLUG_PATTERN, {
  message: 'must be lower-case letters and digits joined by hyphens, with at least one letter',
})

export const CreateKbCategory = z.object({
  name: nonBlank(100),
  slug: KbSlug.optional().describe('Made from the name when absent'),
  description: text(1000, { min: 0 }).default(''),
  position: z.number().int().min(0).max(100_000).default(0),
})
export type CreateKbCategory = z.infer<typeof CreateKbCategory>
export const UpdateKbCategory = patchOf(CreateKbCategory)
export type UpdateKbCategory = z.infer<typeof UpdateKbCategory>

export const CreateKbArticle = z.object({
  title: nonBlank(200),
  slug: KbSlug.optional().describe(
    'Made from the title when absent; a later change keeps the old one redirecting',
  ),
  body: text(500_000, { min: 0 }).default('').describe('HTML; sanitised as inbound mail is'),
  categoryId: id.nullable().default(null),
  tags: TagList.default([]),
  visibility: z.enum(KB_VISIBILITIES).default('public'),
  status: z.enum(KB_STATUSES).default('draft').describe('Anything but draft needs kb.publish'),
  topicIds: z.array(id).max(50).default([]).describe('Related help topics'),
})
export type CreateKbArticle = z.infer<typeof CreateKbArticle>
export const UpdateKbArticle = patchOf(CreateKbArticle).extend({
  version: z.number().int().positive().optional().describe('The version you read: a stale one answers 409'),
})
export type UpdateKbArticle = z.infer<typeof UpdateKbArticle>

const denied = (permission: KbPermission) =>
  new AppError(
    'forbidden',
    permission === 'kb.edit' ? 'kb_edit_forbidden' : 'kb_publish_forbidden',
    permission === 'kb.edit'
      ? 'Writing knowledge-base articles needs the kb.edit permission (or an admin).'
      : 'Publishing, archiving or changing a published article needs the kb.publish permission (or an admin).',
  )

function require(actor: AgentActor, permission: KbPermission): void {
  if (!kbCan(actor, permission)) throw denied(permission)
}

const slugTaken = (slug: string) =>
  new AppError('conflict', 'slug_taken', `The slug "${slug}" is already used by another article or category.`)

async function record(
  trx: Kysely<DB>,
  agent: AgentActor,
  channel: Channel,
  type: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  at: number,
) {
  await insertEvents(
    trx,
    [{ ticketId: null, actorId: agent.id, type, channel, before, after, at }],
    agent.origin,
  )
}

/** A free slug from `base`: base, base-2, base-3… */
async function freeSlug(base: string, taken: (s: string) => Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = `${base.slice(0, KB_SLUG_MAX - suffix.length).replace(/-+$/, '')}${suffix}`
    if (!(await taken(candidate))) return candidate
  }
}

// ---------- categories ----------

export async function createKbCategory(
  app: App,
  agent: AgentActor,
  input: CreateKbCategory,
  meta: { channel: Channel },
): Promise<KbCategoryRow> {
  require(agent, 'kb.edit')
  const at = app.clock.now()
  const id = await app.db.transact(async (trx) => {
    const taken = async (s: string) => (await findCategory(trx, s)) !== undefined
    let slug: string
    if (input.slug !== undefined) {
      if (await taken(input.slug)) throw slugTaken(input.slug)
      slug = input.slug
    } else slug = await freeSlug(slugify(input.name), taken)
    const id = await insertCategory(trx, {
      slug,
      name: input.name,
      description: input.description,
      position: input.position,
      created_at: at,
      updated_at: at,
    })
    await record(
      trx,
      agent,
      meta.channel,
      'kb.category.created',
      null,
      { categoryId: id, name: input.name },
      at,
    )
    return id
  })
  return (await findCategory(app.db.read, id))!
}

export async function updateKbCategory(
  app: App,
  agent: AgentActor,
  categoryId: number,
  input: UpdateKbCategory,
  meta: { channel: Channel },
): Promise<KbCategoryRow> {
  require(agent, 'kb.edit')
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const row = await findCategory(trx, categoryId)
    if (!row) throw notFound('category')
    if (input.slug !== undefined && input.slug !== row.slug && (await findCategory(trx, input.slug)))
      throw slugTaken(input.slug)
    await updateCategoryRow(trx, row.id, { ...input, updated_at: at })
    await record(
      trx,
      agent,
      meta.channel,
      'kb.category.updated',
      { name: row.name },
      { categoryId, ...input },
      at,
    )
  })
  return (await findCategory(app.db.read, categoryId))!
}

export async function deleteKbCategory(
  app: App,
  agent: AgentActor,
  categoryId: number,
  meta: { channel: Channel },
): Promise<void> {
  require(agent, 'kb.edit')
  await app.db.transact(async (trx) => {
    const row = await findCategory(trx, categoryId)
    if (!row) throw notFound('category')
    // Its articles stay, uncategorised.
    await deleteCategoryRow(trx, row.id)
    await record(
      trx,
      agent,
      meta.channel,
      'kb.category.deleted',
      { categoryId, name: row.name },
      null,
      app.clock.now(),
    )
  })
}

// ---------- articles ----------

/** An article by id or slug, if the actor may read it (a hidden one is missing). */
export async function readableArticle(
  db: Kysely<DB>,
  actor: Actor | undefined,
  ref: number | string,
): Promise<KbArticleRow | undefined> {
  const row = await findArticle(db, ref)
  return row && canReadArticle(actor, row) ? row : undefined
}

async function checkReferences(trx: Kysely<DB>, categoryId: number | null | undefined, topicIds?: number[]) {
  if (categoryId != null && !(await findCategory(trx, categoryId)))
    throw badRequest('unknown_category', 'That knowledge-base category does not exist.')
  if (topicIds?.length) {
    const known = new Set(await existingTopicIds(trx, topicIds))
    const missing = topicIds.filter((t) => !known.has(t))
    if (missing.length) throw badRequest('unknown_topic', `No help topic with id ${missing.join(', ')}.`)
  }
}

async function articleSlugTaken(trx: Kysely<DB>, slug: string, self?: number): Promise<boolean> {
  const row = await findArticle(trx, slug)
  return row !== undefined && row.id !== self
}

export async function createKbArticle(
  app: App,
  agent: AgentActor,
  input: CreateKbArticle,
  meta: { channel: Channel },
): Promise<KbArticleRow> {
  require(agent, permissionForChange(null, input.status))
  const at = app.clock.now()
  const html = sanitizeArticleHtml(input.body)
  const bodyText = articleText(html)
  const id = await app.db.transact(async (trx) => {
    await checkReferences(trx, input.categoryId, input.topicIds)
    let slug: string
    if (input.slug !== undefined) {
      if (await articleSlugTaken(trx, input.slug)) throw slugTaken(input.slug)
      slug = input.slug
    } else slug = await freeSlug(slugify(input.title), (s) => articleSlugTaken(trx, s))
    // A current slug wins over an old one: the article that used to have it stops redirecting there.
    await deleteOldSlug(trx, slug)
    const id = await insertArticle(trx, {
      slug,
      title: input.title,
      body_html: html,
      body_text: bodyText,
      category_id: input.categoryId,
      tags: JSON.stringify(input.tags),
      topic_ids: JSON.stringify([...new Set(input.topicIds)]),
      visibility: input.visibility,
      status: input.status,
      author_id: agent.id,
      published_at: input.status === 'published' ? at : null,
      created_at: at,
      updated_at: at,
    })
    await indexKbArticle(app.db.dialect, trx, id, { title: input.title, body: bodyText })
    if (input.status === 'published')
      await insertRevision(trx, { articleId: id, title: input.title, bodyHtml: html, authorId: agent.id, at })
    await record(
      trx,
      agent,
      meta.channel,
      'kb.article.created',
      null,
      { articleId: id, title: input.title, status: input.status, visibility: input.visibility },
      at,
    )
    return id
  })
  return (await findArticle(app.db.read, id))!
}

/** Loads an article for a change: unreadable is 404; readable but not the agent's to write is 403. */
async function writableArticle(trx: Kysely<DB>, agent: AgentActor, ref: number | string) {
  const row = await readableArticle(trx, agent, ref)
  if (!row) throw notFound('article')
  require(agent, 'kb.edit')
  return row
}

function conflict(current: KbArticleRow) {
  return new AppError(
    'conflict',
    'article_version_conflict',
    'Someone changed this article since you loaded it. Review the current text and try again.',
    { currentVersion: current.version },
  )
}

export async function updateKbArticle(
  app: App,
  agent: AgentActor,
  ref: number | string,
  input: UpdateKbArticle,
  meta: { channel: Channel },
): Promise<KbArticleRow> {
  const at = app.clock.now()
  const id = await app.db.transact(async (trx) => {
    const row = await writableArticle(trx, agent, ref)
    if (input.version !== undefined && input.version !== row.version) throw conflict(row)
    const status: KbStatus = input.status ?? row.status
    require(agent, permissionForChange(row.status, status))
    await checkReferences(trx, input.categoryId, input.topicIds)
    const html = input.body !== undefined ? sanitizeArticleHtml(input.body) : row.body_html
    const title = input.title ?? row.title
    const contentChanged = html !== row.body_html || title !== row.title
    const bodyText = html !== row.body_html ? articleText(html) : row.body_text
    let slug = row.slug
    if (input.slug !== undefined && input.slug !== row.slug) {
      if (await articleSlugTaken(trx, input.slug, row.id)) throw slugTaken(input.slug)
      await deleteOldSlug(trx, input.slug)
      await insertOldSlug(trx, row.slug, row.id, at)
      slug = input.slug
    }
    const ok = await updateArticleRow(trx, row.id, row.version, {
      slug,
      title,
      body_html: html,
      body_text: bodyText,
      ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
      ...(input.tags !== undefined ? { tags: JSON.stringify(input.tags) } : {}),
      ...(input.topicIds !== undefined ? { topic_ids: JSON.stringify([...new Set(input.topicIds)]) } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      status,
      ...(status === 'published' && row.status !== 'published' ? { published_at: at } : {}),
      updated_at: at,
    })
    if (!ok) throw conflict((await findArticle(trx, row.id))!)
    if (contentChanged) await indexKbArticle(app.db.dialect, trx, row.id, { title, body: bodyText })
    if (status === 'published' && (contentChanged || row.status !== 'published'))
      await insertRevision(trx, { articleId: row.id, title, bodyHtml: html, authorId: agent.id, at })
    const { version: _v, body: _b, ...changed } = input
    await record(
      trx,
      agent,
      meta.channel,
      'kb.article.updated',
      { articleId: row.id, slug: row.slug, status: row.status, visibility: row.visibility },
      { articleId: row.id, ...changed, ...(input.body !== undefined ? { body: '(changed)' } : {}) },
      at,
    )
    return row.id
  })
  return (await findArticle(app.db.read, id))!
}

export async function deleteKbArticle(
  app: App,
  agent: AgentActor,
  ref: number | string,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const row = await writableArticle(trx, agent, ref)
    // A draft never published is its writer's to throw away; anything readers have seen needs kb.publish.
    require(agent, row.status === 'draft' && row.published_at === null ? 'kb.edit' : 'kb.publish')
    await deleteArticleRow(trx, row.id)
    await indexKbArticle(app.db.dialect, trx, row.id, null)
    await record(
      trx,
      agent,
      meta.channel,
      'kb.article.deleted',
      { articleId: row.id, slug: row.slug, title: row.title },
      null,
      app.clock.now(),
    )
  })
}

/** Makes a published revision the article's text again; on a published article that is a new revision. */
export async function restoreKbRevision(
  app: App,
  agent: AgentActor,
  ref: number | string,
  number: number,
  meta: { channel: Channel },
): Promise<KbArticleRow> {
  const at = app.clock.now()
  const id = await app.db.transact(async (trx) => {
    const row = await writableArticle(trx, agent, ref)
    require(agent, permissionForChange(row.status, row.status))
    const revision = await findRevision(trx, row.id, number)
    if (!revision) throw notFound('revision')
    const bodyText = articleText(revision.body_html)
    const ok = await updateArticleRow(trx, row.id, row.version, {
      title: revision.title,
      body_html: revision.body_html,
      body_text: bodyText,
      updated_at: at,
    })
    if (!ok) throw conflict(row)
    await indexKbArticle(app.db.dialect, trx, row.id, { title: revision.title, body: bodyText })
    if (row.status === 'published')
      await insertRevision(trx, {
        articleId: row.id,
        title: revision.title,
        bodyHtml: revision.body_html,
        authorId: agent.id,
        at,
      })
    await record(
      trx,
      agent,
      meta.channel,
      'kb.article.restored',
      null,
      { articleId: row.id, revision: number },
      at,
    )
    return row.id
  })
  return (await findArticle(app.db.read, id))!
}

// ---------- readers ----------

/**
 * "Was this helpful?": one answer per person and article, which they may change. A signed-in person is known by
 * their account; a visitor by a keyed digest of their IP address (the address itself is not stored), so a
 * script cannot inflate the counts, though visitors behind one address share one answer.
 */
export async function voteOnArticle(
  app: App,
  actor: Actor | undefined,
  ref: number | string,
  helpful: boolean,
  visitorIp: string,
): Promise<void> {
  await app.db.transact(async (trx) => {
    const row = await readableArticle(trx, actor, ref)
    if (!row || row.status !== 'published') throw notFound('article')
    const voter = actor
      ? `user:${actor.id}`
      : `ip:${createHmac('sha256', await signingKey(trx))
          .update(`kb-vote:${visitorIp}`)
          .digest('base64url')}`
    await recordVote(trx, row.id, voter, helpful, app.clock.now())
  })
}

export const DeflectionBeacon = z.object({
  session: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'must be 16 to 64 letters, digits, - or _' })
    .describe('A random key the new-ticket form makes once per visit'),
  step: z.enum(['shown', 'opened', 'left', 'submitted']),
  articleId: id.optional().describe('The article opened (step `opened`)'),
})
export type DeflectionBeacon = z.infer<typeof DeflectionBeacon>

/** One step of a new-ticket form visit: suggestions shown, an article opened, the form left or submitted. */
export async function recordDeflection(
  app: App,
  actor: Actor | undefined,
  input: DeflectionBeacon,
): Promise<void> {
  if (input.step === 'opened' && input.articleId === undefined)
    throw badRequest('article_required', 'Say which article was opened: send articleId.')
  await app.db.transact(async (trx) => {
    let articleId: number | null = null
    if (input.step === 'opened') {
      const row = await readableArticle(trx, actor, input.articleId!)
      if (!row) throw notFound('article')
      articleId = row.id
    }
    await recordDeflectionStep(trx, input.session, input.step, app.clock.now(), articleId)
  })
}

export const KbSettings = z.object({
  autoresponseDepartmentIds: z
    .array(id)
    .max(500)
    .describe('Departments whose auto-response lists the public articles best matching a new ticket'),
})
export type KbSettings = z.infer<typeof KbSettings>

/** The knowledge base's desk settings; admins only (a department's auto-response is desk configuration). */
export async function setKbSettings(
  app: App,
  actor: Actor,
  input: KbSettings,
  channel: Channel = 'web',
): Promise<KbSettings> {
  const admin = requireAdmin(actor)
  const ids = [...new Set(input.autoresponseDepartmentIds)]
  return app.db.transact(async (trx) => {
    const known = await existingDepartmentIds(trx, ids)
    const missing = ids.filter((d) => !known.has(d))
    if (missing.length) throw badRequest('unknown_department', `No department with id ${missing.join(', ')}.`)
    const before = await departmentsSuggestingArticles(trx)
    await setDepartmentsSuggestingArticles(trx, ids)
    await record(
      trx,
      admin,
      channel,
      'kb.settings_changed',
      { autoresponseDepartmentIds: before },
      { autoresponseDepartmentIds: ids },
      app.clock.now(),
    )
    return { autoresponseDepartmentIds: ids.sort((a, b) => a - b) }
  })
}

/**
 * Keeps the writer's uploads (POST /api/v1/uploads) with an article, for its pictures and downloads. The same
 * rule as a change of the article: kb.edit, and kb.publish once it is published.
 */
export async function addArticleFiles(
  app: App,
  agent: AgentActor,
  ref: number | string,
  uploadIds: number[],
  meta: { channel: Channel },
): Promise<KbFileRow[]> {
  const at = app.clock.now()
  const articleId = await app.db.transact(async (trx) => {
    const row = await writableArticle(trx, agent, ref)
    require(agent, permissionForChange(row.status, row.status))
    const wanted = [...new Set(uploadIds)]
    const uploads = await ownUploads(trx, agent.id, wanted, at)
    const missing = wanted.filter((u) => !uploads.some((x) => x.id === u))
    if (missing.length > 0)
      throw badRequest(
        'unknown_upload',
        `Upload ${missing.join(', ')} is not one of your uploads or has expired: upload the file again.`,
      )
    for (const u of uploads)
      await insertArticleFile(trx, {
        article_id: row.id,
        filename: u.filename,
        content_type: u.content_type,
        size: u.size,
        sha256: u.sha256,
        added_by: agent.id,
        created_at: at,
      })
    await deleteUploads(
      trx,
      uploads.map((u) => u.id),
    )
    await record(
      trx,
      agent,
      meta.channel,
      'kb.article.files_added',
      null,
      { articleId: row.id, files: uploads.map((u) => u.filename) },
      at,
    )
    return row.id
  })
  return articleFiles(app.db.read, articleId)
}

/** Removes a file from its article (pictures that show it break: the writer removes them from the body too). */
export async function removeArticleFile(
  app: App,
  agent: AgentActor,
  fileId: number,
  meta: { channel: Channel },
): Promise<void> {
  await app.db.transact(async (trx) => {
    const file = await findArticleFile(trx, fileId)
    if (!file) throw notFound('file')
    const row = await writableArticle(trx, agent, file.article_id)
    require(agent, permissionForChange(row.status, row.status))
    await deleteArticleFile(trx, file.id)
    await record(
      trx,
      agent,
      meta.channel,
      'kb.article.file_removed',
      { articleId: row.id, file: file.filename },
      null,
      app.clock.now(),
    )
  })
}
