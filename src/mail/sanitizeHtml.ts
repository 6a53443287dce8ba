// The one HTML sanitiser, in a module of its own so that only what handles HTML loads sanitize-html (and
// postcss under it): mail:pipe imports it only for a message with an HTML part (issue 15).
import sanitizeHtml from 'sanitize-html'
import { MAX_HTML_INPUT, REMOTE_IMAGE_ATTR, truncationMarker } from './parseMail.ts'

function remoteImageUrl(src: string | undefined): string | undefined {
  const value = (src ?? '').trim()
  const absolute = value.startsWith('//') ? `https:${value}` : value
  if (!/^https?:\/\//i.test(absolute)) return undefined
  try {
    return new URL(absolute).href
  } catch {
    return undefined
  }
}

/**
 * The one HTML sanitiser, for inbound mail, osTicket's data:text/html messages and what the composer posts.
 * Remote images are tracking pixels as often as not: loading one tells the sender when, and from which address,
 * someone read the mail. They are kept with their address in data-remote-src and no src, so nothing loads them
 * until an agent asks (MessageBody's "Show remote images"); images inside the message (cid:) keep their src.
 */
export function sanitizeMailHtml(html: string): string {
  const cut = html.length > MAX_HTML_INPUT
  const clean = sanitizeHtml(html.slice(0, MAX_HTML_INPUT), {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'],
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      img: ['src', 'alt', 'width', 'height', REMOTE_IMAGE_ATTR],
      font: ['color'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['cid'] },
    exclusiveFilter: (frame) =>
      frame.tag === 'img' && !/^cid:/i.test(frame.attribs.src ?? '') && !frame.attribs[REMOTE_IMAGE_ATTR],
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
      img: (tagName, attribs) => {
        const remote = remoteImageUrl(attribs.src)
        if (remote === undefined) {
          const { [REMOTE_IMAGE_ATTR]: _dropped, ...rest } = attribs
          void _dropped
          return { tagName, attribs: rest }
        }
        const { src: _src, ...rest } = attribs
        void _src
        return { tagName, attribs: { ...rest, [REMOTE_IMAGE_ATTR]: remote } }
      },
    },
  })
  return cut ? `${clean}<p>${truncationMarker(html.length - MAX_HTML_INPUT)}</p>` : clean
}
