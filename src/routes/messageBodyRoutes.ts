// A formatted thread entry as a document of its own, for MessageBody's sandboxed frame (issue 11). HTML from
// outside is sanitised when it is stored; this response adds a second lock: a Content-Security-Policy that lets
// nothing run or load (no scripts, no frames, no forms, no fetches) except images inside the message (data:, and
// cid: parts served by our preview route)
// and, only when the viewer asks (`?remoteImages=1`), remote images. It is served from our origin, with its own
// policy, because a srcdoc frame would inherit the app's policy and could never show a remote image even when
// asked. Who may read it: whoever may see the entry in GET /api/v1/tickets/:number (customers never get notes).
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { notFound } from '../errors.ts'
import { escapeHtml } from '../mail/templates.ts'
import { REMOTE_IMAGE_ATTR } from '../mail/parseMail.ts'
import { rewriteCidImages } from '../presenters/attachmentPresenter.ts'
import { getTicket } from '../queries/ticketQueries.ts'
import { requireActor } from './http.ts'

const Params = z.object({
  number: z.string().max(32),
  entryId: z.coerce.number().int().positive().max(2_147_483_647),
})
const Query = z.object({ remoteImages: z.enum(['0', '1']).optional() })

const STYLE =
  'html{color-scheme:light;background:#fff}body{margin:0;padding:.35em .5em;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;' +
  'color:#1b1f24;overflow-wrap:anywhere}img{max-width:100%;height:auto}pre{white-space:pre-wrap;' +
  'background:#f4f5f7;padding:.5em;border-radius:4px}code{font-family:ui-monospace,monospace;font-size:.93em}' +
  'blockquote{margin:0 0 0 .2em;padding-left:.8em;border-left:3px solid #c8ccd2;color:#4a5058}' +
  'p{margin:0 0 .6em}ul,ol{margin:0 0 .6em;padding-inline-start:1.6em}a{color:#0b57d0}' +
  `img[${REMOTE_IMAGE_ATTR}]:not([src]){display:inline-block;width:1.2em;height:1.2em;` +
  'border:1px dashed #98a0aa;vertical-align:middle}'

/** The policy of the document: nothing runs; images only from the message, or remote ones when asked. */
export function messageDocumentPolicy(remoteImages: boolean): string {
  return [
    "default-src 'none'",
    // 'self': a cid: image is served by our attachment preview route.
    `img-src 'self' data:${remoteImages ? ' https: http:' : ''}`,
    "style-src 'unsafe-inline'",
    "font-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    // No allow-scripts: scripts never run, whatever got through. allow-same-origin lets the app measure the
    // frame's height; popups let links open in a new tab outside the sandbox.
    'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
  ].join('; ')
}

/** Puts the remote images' addresses back into src (only inside <img> tags, which the sanitiser wrote). */
export function withRemoteImages(html: string): string {
  return html.replace(/<img\b[^>]*>/gi, (tag) => tag.replaceAll(` ${REMOTE_IMAGE_ATTR}="`, ' src="'))
}

export function messageDocument(html: string, title: string, remoteImages: boolean): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><base target="_blank">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body dir="auto">${remoteImages ? withRemoteImages(html) : html}</body></html>`
  )
}

export function messageBodyRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/tickets/:number/messages/:entryId/html',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'A formatted entry as a sandboxed HTML document (for a frame)',
        description:
          'The sanitised HTML of an entry, under a Content-Security-Policy that lets nothing run or load; ' +
          '`remoteImages=1` allows remote images (the viewer asked to see them). 404 for an entry without HTML, ' +
          'and for one the viewer may not see (a customer asking for a note).',
        params: Params,
        querystring: Query,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req)
      const t = await getTicket(app, actor, req.params.number)
      // The thread the viewer is given: notes are not in it for customers.
      const entry = t.thread.find((e) => e.id === req.params.entryId)
      if (!entry || entry.html === null || (actor.kind !== 'agent' && entry.kind === 'note'))
        throw notFound('formatted message')
      const remote = req.query.remoteImages === '1'
      // Pictures inside the message (cid:) are the entry's own inline parts, shown through the preview route.
      const own = t.attachments.filter((a) => a.entry_id === entry.id)
      const html = rewriteCidImages(entry.html, t.row.number, own)
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', messageDocumentPolicy(remote))
        .header('x-frame-options', 'SAMEORIGIN')
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .send(messageDocument(html, `Message from ${entry.author_name}`, remote))
    },
  )
}
