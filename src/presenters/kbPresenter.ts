import { z } from 'zod'
import { PREVIEWABLE } from '../commands/uploads.ts'
import { KB_STATUSES, KB_VISIBILITIES, snippetParts } from '../domain/kb.ts'
import type { Actor } from '../policies/actor.ts'
import type { KbArticleRow, KbCategoryRow, KbFileRow } from '../repositories/kbRepo.ts'

export const KbCategoryOut = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  position: z.number(),
  articleCount: z.number().describe('Articles in it that you may read'),
})

export function presentKbCategory(row: KbCategoryRow & { articles?: number }): z.infer<typeof KbCategoryOut> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    position: row.position,
    articleCount: row.articles ?? 0,
  }
}

const Part = z.object({ text: z.string(), match: z.boolean() })

export const KbArticleSummaryOut = z.object({
  id: z.number(),
  slug: z.string(),
  title: z.string(),
  /** Search results only: the title and a passage of the body, the matching words flagged. */
  titleHighlight: z.array(Part).nullable(),
  snippet: z.array(Part).nullable().describe('Search results: a passage with the matching words flagged'),
  excerpt: z.string().describe('The first words of the body, as plain text'),
  categoryId: z.number().nullable(),
  tags: z.array(z.string()),
  visibility: z.enum(KB_VISIBILITIES),
  status: z.enum(KB_STATUSES),
  authorName: z.string().nullable(),
  version: z.number(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** Agents only: the "Was this helpful?" answers. */
  helpful: z.object({ yes: z.number(), no: z.number() }).optional(),
})

export const KbArticleOut = KbArticleSummaryOut.extend({
  bodyHtml: z.string().describe('Sanitised HTML'),
  bodyText: z.string(),
  topicIds: z.array(z.number()),
})

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 199).replace(/\s+\S*$/, '')}…` : flat
}

export function presentKbSummary(
  row: KbArticleRow,
  viewer: Actor | undefined,
  authors: Map<number, string>,
  marks: { titleMarked: string | null; snippetMarked: string | null } = {
    titleMarked: null,
    snippetMarked: null,
  },
): z.infer<typeof KbArticleSummaryOut> {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    titleHighlight: marks.titleMarked === null ? null : snippetParts(marks.titleMarked),
    snippet: marks.snippetMarked === null ? null : snippetParts(marks.snippetMarked),
    excerpt: excerptOf(row.body_text),
    categoryId: row.category_id,
    tags: JSON.parse(row.tags) as string[],
    visibility: row.visibility,
    status: row.status,
    authorName: authors.get(row.author_id) ?? null,
    version: row.version,
    publishedAt: iso(row.published_at),
    updatedAt: iso(row.updated_at)!,
    ...(viewer?.kind === 'agent' ? { helpful: { yes: row.helpful_yes, no: row.helpful_no } } : {}),
  }
}

export function presentKbArticle(
  row: KbArticleRow,
  viewer: Actor | undefined,
  authors: Map<number, string>,
): z.infer<typeof KbArticleOut> {
  return {
    ...presentKbSummary(row, viewer, authors),
    bodyHtml: row.body_html,
    bodyText: row.body_text,
    topicIds: JSON.parse(row.topic_ids) as number[],
  }
}

export const KbRevisionOut = z.object({
  number: z.number(),
  title: z.string(),
  bodyHtml: z.string(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
})

export function presentKbRevision(r: {
  number: number
  title: string
  body_html: string
  author_name: string | null
  created_at: number
}): z.infer<typeof KbRevisionOut> {
  return {
    number: r.number,
    title: r.title,
    bodyHtml: r.body_html,
    authorName: r.author_name,
    createdAt: iso(r.created_at)!,
  }
}

export const KbFileOut = z.object({
  id: z.number(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  url: z.string().describe('Where it is served: an <img> src for pictures, a download for the others'),
  picture: z.boolean().describe('A PNG, JPEG, GIF or WebP picture, which an article body can show'),
})

export function presentKbFile(f: KbFileRow): z.infer<typeof KbFileOut> {
  return {
    id: f.id,
    name: f.filename,
    size: f.size,
    contentType: f.content_type,
    url: `/api/v1/kb/files/${f.id}/${encodeURIComponent(f.filename)}`,
    picture: PREVIEWABLE.has(f.content_type),
  }
}
