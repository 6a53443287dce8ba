// The knowledge base's vocabulary (issue 17), shared by server and web: who may read an article, the states it
// goes through, how its slug is made, and how its body is made safe to show.
import { convert } from 'html-to-text'
import sanitizeHtml from 'sanitize-html'

// Visibilities and statuses are defined once in src/shared/kb.ts (the web app imports them too).
import { KB_STATUSES, KB_VISIBILITIES, type KbStatus, type KbVisibility } from '../shared/kb.ts'
export { KB_STATUSES, KB_VISIBILITIES, type KbStatus, type KbVisibility }

export const KB_SLUG_MAX = 80
/** Lower-case words of letters and digits joined by hyphens, with a letter somewhere (a number is an id). */
export const KB_SLUG_PATTERN = /^(?=[a-z0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$/

/** A slug from a title: "VPN keeps dropping?" → "vpn-keeps-dropping". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, KB_SLUG_MAX)
    .replace(/-+$/g, '')
  return KB_SLUG_PATTERN.test(slug) ? slug : `article-${slug || 'untitled'}`.slice(0, KB_SLUG_MAX)
}

const MAX_BODY_HTML = 500_000

/** Where an article's own files are served: `/api/v1/kb/files/<id>` (and an optional file name after it). */
export const KB_FILE_SRC = /^\/api\/v1\/kb\/files\/\d+(?:\/[^/?#]*)?$/

/**
 * An article body as it is stored and shown: the rules inbound HTML mail gets (src/mail/parseMail.ts,
 * sanitizeMailHtml) — sanitize-html's default tags, no scripts, styles, event handlers or javascript: links,
 * links opened with noopener — plus headings and images from https (an article's own pictures, not trackers).
 */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html.slice(0, MAX_BODY_HTML), {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2'],
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['https'] },
    allowProtocolRelative: false,
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
      // A picture is an https address or one of the article files; any other relative address is dropped.
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs
        const ours = src !== undefined && KB_FILE_SRC.test(src)
        return { tagName, attribs: ours || /^https:/i.test(src ?? '') ? { src: src!, ...rest } : rest }
      },
    },
  })
}

/** The plain text of a sanitised body, for search and snippets. */
export function articleText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'table', options: { uppercaseHeaderCells: false } },
    ],
  }).trim()
}

/** Marks around the matched words of a search snippet (never in stored text: control characters are refused). */
export const HIGHLIGHT_START = '\u0002'
export const HIGHLIGHT_END = '\u0003'

/** A snippet with its matches marked, as the API returns it: text parts, the matching ones flagged. */
export function snippetParts(marked: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = []
  const re = new RegExp(`${HIGHLIGHT_START}([^${HIGHLIGHT_END}]*)${HIGHLIGHT_END}`, 'g')
  let last = 0
  for (const m of marked.matchAll(re)) {
    if (m.index > last) parts.push({ text: strip(marked.slice(last, m.index)), match: false })
    parts.push({ text: m[1]!, match: true })
    last = m.index + m[0].length
  }
  if (last < marked.length) parts.push({ text: strip(marked.slice(last)), match: false })
  return parts.filter((p) => p.text.length > 0)
}
const strip = (s: string) => s.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '')

/** Words a suggestion ignores: a subject is a sentence, and "my", "the" and "is" match everything. */
export const SUGGEST_STOPWORDS = new Set(
  (
    'a an and are as at be but by can cannot do does for from get got had has have how i if in into is it its ' +
    'me my no not of on or our please so that the their them then there this to too us was we what when ' +
    'where which who why will with you your help issue problem'
  ).split(' '),
)
