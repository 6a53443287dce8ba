// The words, names and sentences of synthetic tickets (seed --synthetic), and the random source they are drawn
// with. Nothing here touches the database; the same seed always gives the same text.

/** mulberry32: small, fast and good enough for test data; the same seed gives the same sequence. */
export class Random {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  /** Exponentially distributed with this mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }
}

/** Draws an index from fixed weights in O(log n). */
export class Weighted<T> {
  private readonly cumulative: number[]
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0
    this.cumulative = weights.map((w) => (sum += w))
  }
  draw(random: Random): T {
    const target = random.next() * this.cumulative[this.cumulative.length - 1]!
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid]! > target) hi = mid
      else lo = mid + 1
    }
    return this.items[lo]!
  }
}

/** Weights 1/rank^s: Zipf's law, which word frequencies in real text follow closely. */
export function zipf<T>(items: readonly T[], s = 1): Weighted<T> {
  return new Weighted(
    items,
    items.map((_, i) => 1 / (i + 1) ** s),
  )
}

// The head of the vocabulary, most frequent first: function words, then the words help desk mail is made of.
const COMMON = `the to i and a you of is it for in my on we that this have be with not can but are
please your me at was as so do if our from an or get when there all will just been has no any would
thanks could help us now what they again still know time one need see since here after new same working
account order issue problem today error email customer team update access page login password invoice
payment support version back yesterday set app phone message week screen data file report change server
service work last check like send share open close team's number sent received attached link following
reset refund billing card charge subscription plan user users admin settings mobile web browser install
download upload sync connection network printer laptop office delivery shipping address tracking return
package item product price discount code trial license renewal contract upgrade downgrade cancel export
import integration api token key webhook request response timeout slow crash bug feature calendar meeting
schedule notification alert dashboard database backup restore migration permission role group department
manager colleague ticket case reference attachment screenshot log logs device keyboard monitor vpn wifi
router firewall certificate domain dns outage maintenance release patch security spam phishing invoice's
receipt statement tax vat currency transfer bank wallet shop cart checkout coupon voucher warranty repair
replacement courier parcel customs warehouse stock supplier quote proposal onboarding training demo call
voicemail chat portal form field survey feedback review rating complaint urgent asap kindly regards hello
hi dear best cheers monday tuesday wednesday thursday friday morning afternoon evening tomorrow month`
  .split(/\s+/)
  .filter(Boolean)

const SYLLABLES = `ka lo mi ne ru ta vo zi pe sa du fo ga hi je ko lu ma ni po qui ra se ti ul ve wa xe yo ze
bra cli dro fle gri plo tra sko ven mar tel dor fin gal hen jor kel lin mon nor pel rin sol tor vin wen zar`
  .split(/\s+/)
  .filter(Boolean)

/** The long tail: made-up product, place and code words, each rarer than the last. */
function tailWord(i: number): string {
  let n = i
  let word = ''
  do {
    word += SYLLABLES[n % SYLLABLES.length]
    n = Math.floor(n / SYLLABLES.length)
  } while (n > 0)
  return word.length < 5 ? `${word}${SYLLABLES[i % 7]}x` : word
}

/** Every word synthetic text is made of, most frequent first (rank 1 = index 0). */
export const VOCABULARY: readonly string[] = (() => {
  const seen = new Set<string>()
  const words: string[] = []
  const add = (w: string) => {
    if (seen.has(w)) return
    seen.add(w)
    words.push(w)
  }
  COMMON.forEach(add)
  for (let i = 0; words.length < 30_000; i++) {
    add(tailWord(i + SYLLABLES.length * SYLLABLES.length))
  }
  return words
})()

/** 1-based rank of a word in VOCABULARY (Infinity for a word it does not hold). */
export function rankOf(word: string): number {
  const i = VOCABULARY.indexOf(word)
  return i < 0 ? Infinity : i + 1
}

const THINGS = `invoice password printer VPN laptop order refund subscription login account payment delivery
report dashboard export integration certificate mailbox calendar phone license backup app update
permission webhook parcel warranty`
  .split(/\s+/)
  .filter(Boolean)

const SUBJECTS = [
  'Cannot open my {thing}',
  '{thing} not working since the update',
  'Question about my {thing}',
  'Problem with {thing} for {word}',
  'Urgent: {thing} down',
  '{thing} error after {word} change',
  'Please help with {thing}',
  'Wrong amount on {thing}',
  'How do I change my {thing}?',
  'Request: new {thing} for {word}',
  '{thing} is very slow',
  'Follow-up on {thing} ({word})',
]
const OPENINGS = ['Hello,', 'Hi team,', 'Dear support,', 'Hi,', 'Good morning,']
const CUSTOMER_LINES = [
  'I tried again this morning and the {thing} still does not work.',
  'Could you please look at my {thing} as soon as possible?',
  'This started after the last {thing} update.',
  'I have attached a screenshot of the {thing} error.',
  'My colleague {word} sees the same problem with the {thing}.',
]
const AGENT_LINES = [
  'Thanks for reaching out about the {thing}.',
  'I have reset the {thing} on our side; could you try again?',
  'Could you send us the exact error message you see on the {thing}?',
  'The {thing} issue is known and a fix is being released today.',
  'I have passed the {thing} case to our {word} team.',
]
const NOTE_LINES = [
  'Customer is on the {word} plan; check the {thing} logs.',
  'Escalated the {thing} problem to tier 2.',
  'Same {thing} issue as last week, probably the {word} release.',
]
const SIGNOFFS = ['Thanks,', 'Best regards,', 'Cheers,', 'Kind regards,', 'Thank you,']

export class TextMaker {
  private readonly words = zipf(VOCABULARY, 1)
  private readonly things = zipf(THINGS, 0.8)
  private readonly subjects = zipf(SUBJECTS, 0.7)
  constructor(private readonly random: Random) {}

  private fill(template: string): string {
    return template
      .replace('{thing}', this.things.draw(this.random))
      .replace('{word}', this.words.draw(this.random))
  }

  /** `n` words drawn by Zipf's law, as a sentence. */
  private filler(n: number): string {
    const parts: string[] = []
    for (let i = 0; i < n; i++) parts.push(this.words.draw(this.random))
    const s = parts.join(' ')
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`
  }

  subject(): string {
    const s = this.fill(this.subjects.draw(this.random))
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}`
  }

  body(kind: 'message' | 'response' | 'note', author: string): string {
    const r = this.random
    const lines = kind === 'message' ? CUSTOMER_LINES : kind === 'response' ? AGENT_LINES : NOTE_LINES
    const parts: string[] = []
    if (kind !== 'note') parts.push(r.pick(OPENINGS))
    parts.push(this.fill(r.pick(lines)))
    parts.push(this.filler(8 + r.int(20)))
    if (r.chance(0.4)) parts.push(this.fill(r.pick(lines)))
    if (kind !== 'note') parts.push(`${r.pick(SIGNOFFS)}\n${author}`)
    return parts.join(kind === 'note' ? ' ' : '\n\n')
  }
}

export const FIRST_NAMES =
  `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard
Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark
Margaret Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian
Melissa George Deborah Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Amy Jacob
Kathleen Gary Angela Nicholas Shirley Eric Anna Jonathan Brenda Stephen Pamela Larry Emma Justin Nicole Scott
Helen Brandon Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick Carolyn Frank
Janet Raymond Maria Jack Olivia Dennis Heather Jerry Diane Tyler Julie Aaron Joyce Jose Victoria Adam Ruth Nathan
Virginia Henry Lauren Zachary Kelly Douglas Christina Peter Joan Kyle Evelyn Noah Judith Ethan Andrea Jeremy Hannah
Walter Megan Christian Cheryl Keith Jacqueline Roger Martha Terry Madison Austin Teresa Sean Gloria Gerald Sara
Carl Janice Harold Ann Dylan Kathryn Arthur Abigail Lawrence Sophia Jordan Frances Jesse Jean Bryan Alice Billy
Judy Bruce Isabella Gabriel Julia Joe Grace Logan Amber Alan Denise Juan Danielle Albert Marilyn Willie Beverly
Elijah Charlotte Wayne Natalie Randy Theresa Vincent Diana Mason Brittany Roy Doris Ralph Kayla Bobby Alexis
Russell Lori Bradley Marie Philip Priya Wei Mohammed Fatima Hiroshi Yuki Sven Ingrid Luca Giulia Mateo Lucia
Olga Dmitri Aisha Omar Chen Mei Raj Ananya Kwame Amara Lars Freya Pierre Camille Jan Eva`
    .split(/\s+/)
    .filter(Boolean)

export const LAST_NAMES =
  `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez
Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris
Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel
Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher
Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes
Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson
Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver
Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Larsen Novak Kowalski Rossi Bianchi Muller
Schneider Dubois Laurent Tanaka Suzuki Sato Yamamoto Singh Kumar Sharma Okafor Mensah Haddad Khan Ali Ivanova Petrov`
    .split(/\s+/)
    .filter(Boolean)

const ORG_HEADS = `Northwind Contoso Fabrikam Globex Initech Umbrella Stark Wayne Acme Hooli Vandelay Soylent
Tyrell Cyberdyne Wonka Aperture Massive Oceanic Pied Dunder Sterling Prestige Monarch Zenith Apex Summit Harbor
Evergreen Bluebird Redwood Silverline Ironbridge Lakeside Brightwater Granite Juniper Maple Orion Polaris`
  .split(/\s+/)
  .filter(Boolean)
const ORG_TAILS =
  `Logistics Labs Foods Systems Health Media Motors Energy Retail Travel Finance Studios Robotics
Pharma Textiles Logistics Analytics Consulting Brewing Hotels Insurance Dynamics Networks Outfitters`
    .split(/\s+/)
    .filter(Boolean)
const ORG_SUFFIXES = ['Ltd', 'Inc', 'GmbH', 'LLC', 'Group', 'Co', 'AG', 'SA', 'BV', '']

/** An organisation's name ("Northwind Logistics Ltd"); the caller makes it unique. */
export function organizationName(random: Random): string {
  return [random.pick(ORG_HEADS), random.pick(ORG_TAILS), random.pick(ORG_SUFFIXES)].filter(Boolean).join(' ')
}

/** A lower-case address part from a person's name: "Mary Ann O'Neil" gives "mary.ann.oneil". */
export function emailLocal(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim()
    .split(/\s+/)
    .join('.')
}

export const TAGS =
  `billing refund login password bug vip feature-request outage shipping invoice mobile api sso
escalated spam churn-risk onboarding security gdpr duplicate enterprise trial hardware network printer email
integration performance data-loss training contract renewal upgrade cancellation chargeback fraud accessibility
translation documentation partner beta`
    .split(/\s+/)
    .filter(Boolean)
