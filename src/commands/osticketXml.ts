// osTicket's POST /api/tickets.xml: the same fields as tickets.json, as XML. osTicket's format is lax: a field is an
// attribute of <ticket> or a child element; <phone ext="123">; <message type="text/html">; attachments as
// <file name type encoding="base64">. We turn it into the JSON shape (message and files as data: URLs) so both
// endpoints share one validation and one command. Parsed with fast-xml-parser with entity processing off
// (no DOCTYPE entities, so no entity expansion bombs or external entities); the five predefined entities and
// character references are decoded here, in one pass that cannot recurse.
import { XMLParser } from 'fast-xml-parser'
import { badRequest } from '../errors.ts'

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  cdataPropName: '#cdata',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 20,
  isArray: (name) => name === 'file',
})

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name.toLowerCase()] ?? whole
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : whole
  })
}

type Node = string | { [key: string]: Node | Node[] | undefined }

/** The text of an element: its decoded character data followed by its CDATA sections. */
function textOf(node: Node | Node[] | undefined): string {
  if (node === undefined) return ''
  if (Array.isArray(node)) return node.map(textOf).join('')
  if (typeof node === 'string') return decodeEntities(node)
  const text = node['#text']
  const cdata = node['#cdata']
  return textOf(text) + (cdata === undefined ? '' : rawText(cdata))
}

function rawText(node: Node | Node[] | undefined): string {
  if (node === undefined) return ''
  if (Array.isArray(node)) return node.map(rawText).join('')
  if (typeof node === 'string') return node
  return rawText(node['#text'])
}

function attr(node: Node | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined
  const v = node[`@${name}`]
  return typeof v === 'string' ? decodeEntities(v) : undefined
}

const isElement = (key: string) => !key.startsWith('@') && !key.startsWith('#')

/** Parses an osTicket XML ticket into the fields tickets.json takes. Throws 400 for anything else. */
export function parseOsTicketXml(body: Buffer | string): Record<string, unknown> {
  const xml = typeof body === 'string' ? body : body.toString('utf8')
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw badRequest('invalid_xml', 'XML with a DOCTYPE or entity declarations is not accepted.')
  let doc: Record<string, Node>
  try {
    doc = parser.parse(xml, true) as Record<string, Node>
  } catch (error) {
    throw badRequest('invalid_xml', `The body is not well-formed XML: ${(error as Error).message}`)
  }
  const ticket = doc.ticket
  if (ticket === undefined || typeof ticket === 'string' || Array.isArray(ticket))
    throw badRequest('invalid_xml', 'The body must be a <ticket> element.')

  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(ticket)) {
    if (key.startsWith('@') && typeof value === 'string') out[key.slice(1)] = decodeEntities(value)
  }
  for (const [key, value] of Object.entries(ticket)) {
    if (!isElement(key) || value === undefined) continue
    const node = (Array.isArray(value) ? value[0] : value) as Node
    switch (key) {
      case 'phone': {
        const ext = attr(node, 'ext')
        out.phone = textOf(node).trim()
        if (ext) out.phone_ext = ext.trim()
        break
      }
      case 'message': {
        const type = (attr(node, 'type') ?? 'text/plain').trim().toLowerCase()
        const text = textOf(node)
        // The same data: URL form tickets.json takes, so HTML goes through the one sanitiser.
        out.message = type === 'text/html' ? `data:text/html;charset=utf-8,${text}` : text
        break
      }
      case 'attachments': {
        const files = typeof node === 'string' ? [] : ((node.file as Node[] | undefined) ?? [])
        out.attachments = files.map((file) => {
          const name = attr(file, 'name')
          if (!name) throw badRequest('invalid_attachment', 'Every <file> needs a name attribute.')
          const type = attr(file, 'type') ?? 'text/plain'
          const base64 = (attr(file, 'encoding') ?? '').toLowerCase() === 'base64'
          const content = textOf(file)
          return {
            [name]: base64
              ? `data:${type};base64,${content.replace(/\s+/g, '')}`
              : `data:${type};base64,${Buffer.from(content.trim(), 'utf8').toString('base64')}`,
          }
        })
        break
      }
      default:
        out[key] = textOf(node).trim()
    }
  }
  return out
}
