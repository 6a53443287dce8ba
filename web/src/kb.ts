// The knowledge base on the web (issue 17): the API's shapes (src/presenters/kbPresenter.ts), and the
// deflection beacon the new-ticket form sends.
import type { KbStatus, KbVisibility } from '@shared/kb.ts'
import { csrfHeaders } from './api.ts'

export type { KbStatus, KbVisibility }
export {
  KB_STATUS_LABELS as KB_STATUS_NAMES,
  KB_VISIBILITY_LABELS as KB_VISIBILITY_NAMES,
} from '@shared/kb.ts'

export interface KbPart {
  text: string
  match: boolean
}

export interface KbCategory {
  id: number
  slug: string
  name: string
  description: string
  position: number
  articleCount: number
}

export interface KbArticleSummary {
  id: number
  slug: string
  title: string
  titleHighlight: KbPart[] | null
  snippet: KbPart[] | null
  excerpt: string
  categoryId: number | null
  tags: string[]
  visibility: KbVisibility
  status: KbStatus
  authorName: string | null
  version: number
  publishedAt: string | null
  updatedAt: string
  helpful?: { yes: number; no: number }
}

export interface KbArticle extends KbArticleSummary {
  bodyHtml: string
  bodyText: string
  topicIds: number[]
}

export interface KbRevision {
  number: number
  title: string
  bodyHtml: string
  authorName: string | null
  createdAt: string
}

export interface KbStats {
  suggestionsShown: number
  articlesOpened: number
  ticketsSubmitted: number
  deflections: number
  articles: {
    id: number
    slug: string
    title: string
    status: KbStatus
    helpfulYes: number
    helpfulNo: number
    deflections: number
  }[]
}

export const articlePath = (slug: string) => `/help/articles/${encodeURIComponent(slug)}`

const SESSION = 'switchboard.kbDeflection'

/** The new-ticket visit's key: kept for the tab until the ticket is submitted, so a return continues it. */
export function deflectionSession(): string {
  let key = sessionStorage.getItem(SESSION)
  if (!key) {
    key = crypto.randomUUID().replace(/-/g, '')
    sessionStorage.setItem(SESSION, key)
  }
  return key
}

export function endDeflectionSession(): void {
  sessionStorage.removeItem(SESSION)
}

/** One step of the visit; sent with keepalive, so it arrives even as the page goes away. Never throws. */
export function sendDeflection(step: 'shown' | 'opened' | 'left' | 'submitted', articleId?: number): void {
  const body = JSON.stringify({ session: deflectionSession(), step, ...(articleId ? { articleId } : {}) })
  void fetch('/api/v1/kb/deflection', {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...csrfHeaders() },
    body,
  }).catch(() => undefined)
}
