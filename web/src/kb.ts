// The knowledge base on the web (issue 17): the API's shapes (src/presenters/kbPresenter.ts), and the
// deflection beacon the new-ticket form sends.
import type { KbStatus, KbVisibility } from '@shared/kb.ts'
import { csrfHeaders } from './api.ts'
import type { ResponseOf } from './api/types.ts'

export type { KbStatus, KbVisibility }
export {
  KB_STATUS_LABELS as KB_STATUS_NAMES,
  KB_VISIBILITY_LABELS as KB_VISIBILITY_NAMES,
} from '@shared/kb.ts'

// The shapes are the server's, from the generated schema (web/src/api/schema.d.ts).
export type KbCategory = ResponseOf<'/api/v1/kb/categories'>['items'][number]
export type KbArticleSummary = ResponseOf<'/api/v1/kb/articles'>['items'][number]
export type KbArticle = ResponseOf<'/api/v1/kb/articles/{ref}'>['article']
/** A run of a title or snippet; `match` marks the words the search found. */
export type KbPart = NonNullable<KbArticleSummary['snippet']>[number]
export type KbRevision = ResponseOf<'/api/v1/kb/articles/{ref}/revisions'>['items'][number]
export type KbStats = ResponseOf<'/api/v1/kb/stats'>
/** A file or picture of an article. */
export type KbFile = ResponseOf<'/api/v1/kb/articles/{ref}/files'>['items'][number]

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
