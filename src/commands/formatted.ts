// Formatted messages (issue 11): what the composer posts as HTML is sanitised with the one sanitiser inbound
// mail goes through, and stored with a plain-text copy made from that sanitised HTML (never from text the
// client sends beside it, so the two cannot say different things). The copy is what search, the mail's text
// part, notifications and older readers use.
import { convert } from 'html-to-text'
import { z } from 'zod'
import { BODY_MAX } from '../domain/tickets.ts'
import { badRequest } from '../errors.ts'
import { storable } from '../mail/parseMail.ts'

/** Posted HTML: up to four times the text limit, as markup takes room. */
export const htmlField = z
  .string()
  .max(BODY_MAX * 4)
  .describe(
    'Formatted text as HTML (bold, italic, lists, links, code, quotes). Sanitised on the server; the plain-text ' +
      'copy is made from it, and replaces any text sent beside it.',
  )

/** The plain text of sanitised HTML: lists, quotes and links kept readable; images left out. */
export function textOfHtml(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
    ],
  }).trim()
}

/**
 * The entry to store: plain text, or sanitised HTML with its text copy. Blank either way is a 400. The
 * sanitiser is loaded with the first HTML body, so plain-text intake (mail:pipe) never loads it.
 */
export async function formattedBody(
  text: string | undefined,
  html: string | undefined,
  field: string,
): Promise<{ body: string; html: string | null }> {
  if (html !== undefined && html.trim() !== '') {
    const { sanitizeMailHtml } = await import('../mail/sanitizeHtml.ts')
    const clean = sanitizeMailHtml(html)
    const body = storable(textOfHtml(clean), BODY_MAX)
    if (body.trim() === '') throw badRequest('invalid_message', `${field} must not be empty.`)
    return { body, html: clean }
  }
  if (text === undefined || text.trim() === '')
    throw badRequest('invalid_message', `${field} must not be empty.`)
  return { body: text, html: null }
}
