// One form of an email address, and the look-alikes we refuse. The same rule serves every entry point: the
// API's email fields (commands/fields.ts), the user repository's lookups and inserts, and inbound mail (a
// From we refuse sends the message to failed mail with the same code).
//
// Form: Unicode NFC, lower case. `josé` typed on a Mac (NFD: e + U+0301) and on Windows (NFC: é) are
// different byte strings that look the same; stored as given they became two accounts.
//
// Refused (`confusable_address`), per part: the local part and each domain label (punycode labels are
// checked in their Unicode form). An all-ASCII part is always fine. A part with other characters is refused
// when it
// - holds compatibility characters (NFKC would change it: fullwidth ｋｅｎ, ligatures, superscripts);
// - mixes scripts, beyond the combinations UTS #39 calls "highly restrictive" (Latin with Han and
//   Japanese kana, Latin with Han and Bopomofo, Latin with Han and Hangul): `kеn` with a Cyrillic е;
// - looks like an ASCII string: its confusable skeleton (Unicode confusables.txt, through unhomoglyph) is
//   all ASCII, as for the all-Cyrillic `раураl` that reads "paypal".
// Real names in other scripts (`josé`, `müller`, `кен`, `用户`) stay allowed.
import { domainToUnicode } from 'node:url'
import unhomoglyph from 'unhomoglyph'

export const CONFUSABLE_ADDRESS = 'confusable_address'

export function normalizeEmail(address: string): string {
  return address.trim().normalize('NFC').toLowerCase().normalize('NFC')
}

// The scripts a letter may be in; a letter in none of these counts as one "other" script.
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Canadian_Aboriginal',
  'Ogham',
  'Runic',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
  'Yi',
  'Coptic',
  'Tifinagh',
  'Vai',
  'Lisu',
] as const
const SCRIPT_TESTS = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')] as const)
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
]

function scriptsOf(part: string): Set<string> {
  const found = new Set<string>()
  for (const ch of part) {
    if (!/\p{L}/u.test(ch)) continue // digits, punctuation, marks: Common or Inherited
    found.add(SCRIPT_TESTS.find(([, re]) => re.test(ch))?.[0] ?? 'other')
  }
  return found
}

const ASCII = /^\p{ASCII}*$/u

/** Why one part (a local part or a domain label) is refused, or undefined when it is fine. */
function partProblem(part: string): string | undefined {
  if (ASCII.test(part)) return undefined
  if (part.normalize('NFKC') !== part) return `"${part}" holds compatibility characters (such as fullwidth)`
  const scripts = scriptsOf(part)
  if (scripts.size > 1 && !ALLOWED_MIXES.some((mix) => [...scripts].every((s) => mix.includes(s))))
    return `"${part}" mixes scripts (${[...scripts].join(', ')})`
  if (ASCII.test(unhomoglyph(part))) return `"${part}" looks like the ASCII "${unhomoglyph(part)}"`
  return undefined
}

export type AddressCheck =
  { ok: true; address: string } | { ok: false; code: typeof CONFUSABLE_ADDRESS; message: string }

/** The address in its one stored form, or why it is refused as a look-alike. */
export function checkEmailAddress(raw: string): AddressCheck {
  const address = normalizeEmail(raw)
  const at = address.lastIndexOf('@')
  const local = at < 0 ? address : address.slice(0, at)
  const labels = at < 0 ? [] : address.slice(at + 1).split('.')
  for (const part of [local, ...labels.map((l) => (l.startsWith('xn--') ? domainToUnicode(l) || l : l))]) {
    const problem = partProblem(part)
    if (problem)
      return {
        ok: false,
        code: CONFUSABLE_ADDRESS,
        message: `The address ${address} can be mistaken for another: ${problem}.`,
      }
  }
  return { ok: true, address }
}
