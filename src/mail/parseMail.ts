// Turns a raw RFC 822 message into what receiveEmail needs. We parse with mailparser: it is by the author of
// nodemailer, smtp-server and imapflow (one test corpus for the whole mail stack), decodes legacy charsets
// through iconv-lite instead of relying on the ICU build, never throws on broken MIME (it degrades to text),
// and derives a plain-text body from HTML-only mail. postal-mime is smaller but browser-first.
import { createHash } from 'node:crypto'
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser'
import { normalizeEmail } from '../domain/emailAddress.ts'
import { BODY_MAX, SUBJECT_MAX } from '../domain/tickets.ts'
import { REPLY_MARKER } from './templates.ts'

export interface Address {
  address: string
  name: string
}

export interface ParsedAttachment {
  filename: string
  contentType: string
  content: Buffer
  /** Content-ID without <>: an inline part that cid: URLs in the HTML point at. */
  contentId?: string
}

export interface ParsedMail {
  messageId: string
  /** In-Reply-To first, then References from the newest back: the order we try them in. */
  references: string[]
  from: Address | undefined
  to: Address[]
  cc: Address[]
  /** Delivered-To / X-Original-To, which MTAs add with the envelope recipient. */
  deliveredTo: string[]
  subject: string
  text: string
  /** Sanitised; undefined when the message had no HTML part. */
  html: string | undefined
  attachments: ParsedAttachment[]
  autoReply: boolean
  /** Authentication-Results header values, topmost (added last, by the MTA nearest us) first. */
  authResults: string[]
}

/** The message is beyond the parser's limits (MIME parts, header size): trying again cannot help. */
export class MimeTooComplex extends Error {
  readonly code = 'mime_too_complex'
}

export const MAX_HTML_INPUT = 2 * 1024 * 1024

/** Text we can store: no NUL (PostgreSQL refuses it), no lone surrogates, at most `max` characters. */
export function storable(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/\u0000/g, '').toWellFormed()
  return clean.length > max ? clean.slice(0, max).toWellFormed() : clean
}

export const truncationMarker = (hidden: number) => `[message truncated: ${hidden} characters not shown]`

/** A body that fits in `max` characters; a longer one is cut and says so in its last line. */
export function bodyWithin(s: string, max: number): string {
  const clean = storable(s, Number.MAX_SAFE_INTEGER)
  if (clean.length <= max) return clean
  // The marker's own length depends on the number in it; reserve room for the longest it can be.
  const room = max - truncationMarker(clean.length).length - 2
  const kept = clean.slice(0, room).toWellFormed()
  return `${kept}\n\n${truncationMarker(clean.length - kept.length)}`
}

function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value]
  const out: Address[] = []
  const walk = (entries: { address?: string; name: string; group?: unknown[] }[]) => {
    for (const e of entries) {
      if (e.group) walk(e.group as typeof entries)
      const address = e.address === undefined ? undefined : normalizeEmail(e.address)
      if (address && /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/.test(address) && address.length <= 254)
        out.push({ address, name: storable(e.name ?? '', 128).trim() })
    }
  }
  for (const a of list) walk(a.value)
  return out
}

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(' ')
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value)
  return ''
}

/** RFC 3834 Auto-Submitted, the older Precedence and X-Autoreply conventions, and delivery reports. */
function isAutoReply(headers: Map<string, HeaderValue>, from: Address | undefined): boolean {
  const auto = headerText(headers.get('auto-submitted')).trim().toLowerCase()
  if (auto !== '' && auto !== 'no') return true
  if (/^(bulk|junk|list|auto_reply)$/i.test(headerText(headers.get('precedence')).trim())) return true
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponse')) return true
  const type = headerText(headers.get('content-type')).toLowerCase()
  if (type.includes('multipart/report')) return true
  if (from && /^(mailer-daemon|postmaster)@/i.test(from.address)) return true
  return false
}

function messageIds(value: string | string[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value]
  return list.flatMap((v) => v.match(/<[^<>\s]{1,250}>/g) ?? [])
}

/** Everything below our reply marker is the quoted history of the thread: drop it. */
export function stripQuotedText(text: string): string {
  const at = text.indexOf(REPLY_MARKER.slice(3, -3))
  if (at < 0) return text
  const lines = text.slice(0, at).split('\n')
  lines.pop() // the marker's own line, with any "> " or "##-" before it
  while (lines.length > 0 && /^\s*(>\s*)*$/.test(lines.at(-1)!)) lines.pop()
  // The "On <date>, <someone> wrote:" line that clients put above a quote.
  if (lines.length > 0 && /wrote:\s*$|schrieb:\s*$|a écrit\s*:\s*$/i.test(lines.at(-1)!)) lines.pop()
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop()
  return lines.join('\n')
}

function stripQuotedHtml(html: string): string {
  const at = html.indexOf(REPLY_MARKER.slice(3, -3))
  if (at < 0) return html
  // Cut at the start of the element holding the marker; sanitize-html closes what is left open.
  const open = html.lastIndexOf('<', at)
  return html.slice(0, open < 0 ? at : open)
}

/** Where a remote image's address is kept: never in `src`, so no reader loads it by accident (issue 11). */
export const REMOTE_IMAGE_ATTR = 'data-remote-src'

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    maxHtmlLengthToParse: MAX_HTML_INPUT,
  }).catch((error: unknown) => {
    // mailsplit's limits (1,000 MIME parts, 1 MiB of headers per part) raise EMAXLEN.
    if ((error as { code?: unknown } | null)?.code === 'EMAXLEN')
      throw new MimeTooComplex(`The message is too complex to read: ${(error as Error).message}.`)
    throw error
  })
  const from = addresses(mail.from)[0]
  const declared = messageIds(mail.messageId)[0]
  // No Message-ID: derive one from the bytes, so the same message delivered twice is still one ticket.
  const messageId = storable(
    declared ?? `<sha256.${createHash('sha256').update(raw).digest('hex')}@switchboard.invalid>`,
    255,
  )
  const references = [...messageIds(mail.inReplyTo), ...messageIds(mail.references).reverse()]
  const subject =
    storable((mail.subject ?? '').replace(/[\r\n\t]+/g, ' ').trim(), SUBJECT_MAX) || '(no subject)'
  // The sanitiser (sanitize-html, with postcss) is loaded only for a message that has HTML: most do not, and
  // mail:pipe starts once per message (issue 15).
  const html =
    typeof mail.html === 'string'
      ? (await import('./sanitizeHtml.ts')).sanitizeMailHtml(stripQuotedHtml(mail.html))
      : undefined
  const text = bodyWithin(stripQuotedText((mail.text ?? '').replace(/\r\n/g, '\n')), BODY_MAX)
  const attachments = mail.attachments.map((a, i) => ({
    filename: storable((a.filename ?? '').replace(/[/\\\r\n]/g, '_').trim(), 255) || `attachment-${i + 1}`,
    contentType: storable(a.contentType || 'application/octet-stream', 255),
    content: a.content,
    ...(a.contentId ? { contentId: storable(a.contentId.replace(/^<|>$/g, '').trim(), 255) } : {}),
  }))
  return {
    messageId,
    references: [...new Set(references)],
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    deliveredTo: ['delivered-to', 'x-original-to']
      .flatMap((h) => headerText(mail.headers.get(h)).split(/[,\s]+/))
      .map((a) => a.replace(/[<>]/g, '').trim().toLowerCase())
      .filter((a) => a.includes('@')),
    subject,
    text,
    html,
    attachments,
    autoReply: isAutoReply(mail.headers, from),
    authResults: mail.headerLines
      .filter((h) => h.key === 'authentication-results')
      .map((h) => h.line.slice(h.line.indexOf(':') + 1)),
  }
}
