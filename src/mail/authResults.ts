// Authentication-Results (RFC 8601): what the receiving MTA found when it checked SPF, DKIM and DMARC. Anyone
// can write this header into a message, so we read it only under an authserv-id that the admin marked as
// trusted for the intake address, and only the topmost such header (the MTA adds its own on top). The MTA
// must also delete any header that claims its authserv-id when the message arrives (RFC 8601 §5): postfix
// with OpenDMARC/OpenDKIM, rspamd and Exim do when configured as their docs say. docs/SECURITY.md says more.

export interface AuthResult {
  method: string
  result: string
  /** `ptype.property` → value, e.g. `header.from` → `example.com`, `smtp.mailfrom` → `bounce@example.com`. */
  props: Map<string, string>
}

export interface AuthResultsHeader {
  authservId: string
  results: AuthResult[]
}

/** Drops RFC 5322 comments (nested parentheses) outside quoted strings, and unfolds the header. */
function withoutComments(value: string): string {
  let out = ''
  let depth = 0
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    if (ch === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (value[i + 1] ?? '')
      i++
      continue
    }
    if (depth === 0 && ch === '"') quoted = !quoted
    else if (!quoted && ch === '(') {
      depth++
      continue
    } else if (!quoted && ch === ')' && depth > 0) {
      depth--
      continue
    }
    if (depth === 0) out += ch
  }
  return out.replace(/\r?\n[ \t]+/g, ' ')
}

function splitOutsideQuotes(value: string, separator: RegExp): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    if (ch === '\\' && quoted) {
      current += ch + (value[i + 1] ?? '')
      i++
      continue
    }
    if (ch === '"') quoted = !quoted
    if (!quoted && separator.test(ch)) {
      parts.push(current)
      current = ''
      continue
    }
    current += ch
  }
  parts.push(current)
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

const unquote = (v: string) => (v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v)

/** One header's value (without the field name), or undefined when it is not a well-formed header. */
export function parseAuthResults(value: string): AuthResultsHeader | undefined {
  const [head, ...resinfos] = splitOutsideQuotes(withoutComments(value), /;/)
  const authservId = head?.split(/\s+/)[0]?.toLowerCase()
  if (!authservId) return undefined
  const results: AuthResult[] = []
  for (const info of resinfos) {
    const [methodspec, ...rest] = splitOutsideQuotes(info, /\s/)
    const m = /^([a-z0-9_-]+)(?:\/\d+)?\s*=\s*([a-z]+)$/i.exec(methodspec ?? '')
    if (!m) continue
    const props = new Map<string, string>()
    for (const p of rest) {
      const pm = /^([a-z0-9_-]+\.[a-z0-9_.-]+)\s*=\s*(.+)$/i.exec(p)
      if (pm) props.set(pm[1]!.toLowerCase(), unquote(pm[2]!).toLowerCase())
    }
    results.push({ method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), props })
  }
  return { authservId, results }
}

const domainOf = (v: string | undefined) => (v === undefined ? undefined : v.slice(v.lastIndexOf('@') + 1))

/** DMARC's relaxed alignment without the public-suffix list: the same domain, or one is a subdomain. */
function aligned(fromDomain: string, other: string | undefined): boolean {
  if (!other || !other.includes('.')) return false
  return fromDomain === other || fromDomain.endsWith(`.${other}`) || other.endsWith(`.${fromDomain}`)
}

/**
 * Whether the MTA we trust vouched for the From address's domain: DMARC pass for it, or an SPF or DKIM pass
 * aligned with it. `headers` are the message's Authentication-Results values, topmost first.
 */
export function fromDomainVerified(
  headers: readonly string[],
  trustedIds: readonly string[],
  fromAddress: string,
): boolean {
  if (trustedIds.length === 0) return false
  const trusted = new Set(trustedIds.map((id) => id.toLowerCase()))
  const fromDomain = domainOf(fromAddress)!
  const ours = headers.map(parseAuthResults).find((h) => h !== undefined && trusted.has(h.authservId))
  if (!ours) return false
  return ours.results.some((r) => {
    if (r.result !== 'pass') return false
    switch (r.method) {
      case 'dmarc':
        return r.props.get('header.from') === fromDomain
      case 'dkim':
        return aligned(fromDomain, r.props.get('header.d') ?? domainOf(r.props.get('header.i')))
      case 'spf':
        return aligned(fromDomain, domainOf(r.props.get('smtp.mailfrom')))
      default:
        return false
    }
  })
}
