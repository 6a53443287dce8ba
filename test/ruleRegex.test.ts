// Rule regexes have a bound (issue 9, finding 4): `^(\w+\s?)+$`, an admin's ordinary pattern, froze the process
// for minutes on a customer's 40-character subject, with the write lock held. Patterns now run on RE2 (re2js,
// linear time) over at most RULE_REGEX_MAX_INPUT characters, and what RE2 cannot run is refused at save time.
// The catastrophic cases run against a real `switchboard start` process: on a backtracking engine its event
// loop blocks, the request never gets an answer, and this test fails instead of hanging the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compileRuleRegex,
  conditionHolds,
  RULE_REGEX_MAX_INPUT,
  ruleRegexProblem,
  type RuleSubject,
} from '../src/domain/rules.ts'
import { startChildServer, type ChildServer } from './support/childServer.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const CATASTROPHIC = '^(\\w+\\s?)+$'
/** 40 characters: 39 word characters and a "!" that makes a backtracking engine try every split of them. */
const EVIL_SUBJECT = `${'a'.repeat(39)}!`
const GOOD_SUBJECT = 'Printer on the third floor is jammed now'
/** 200,000 characters that do not match, with the same trap at the start. */
const EVIL_BODY = `${'a'.repeat(40)}!${' word'.repeat(40_000)}`.slice(0, 200_000)
/** 200,000 characters of words and single spaces: matches. */
const GOOD_BODY = 'word '.repeat(40_000)

const within = <T>(work: Promise<T>, ms: number) =>
  Promise.race([work, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ms).unref())])

describe('rule regex engine', () => {
  it('is RE2: no backreferences, no lookaround', () => {
    expect(() => compileRuleRegex('(a)\\1')).toThrow()
    expect(() => compileRuleRegex('(?=a)')).toThrow()
    expect(() => compileRuleRegex('(?<!a)b')).toThrow()
    expect(ruleRegexProblem('(a)\\1')).toMatch(/backreference.*RE2, a linear-time engine/)
    expect(ruleRegexProblem('(?<n>a)\\k<n>')).toMatch(/backreference/)
    expect(ruleRegexProblem('(?<=a)b')).toMatch(/lookaround/)
    // Not lookaround: escaped, or in a class.
    expect(ruleRegexProblem('\\(?=x')).toBeNull()
    expect(ruleRegexProblem('[(?=]x')).toBeNull()
    expect(ruleRegexProblem('[')).toMatch(/not a valid regular expression/)
    expect(ruleRegexProblem(CATASTROPHIC)).toBeNull()
    // JavaScript syntax that RE2 spells differently still works.
    expect(ruleRegexProblem('(?<word>\\w+) \\u00e9')).toBeNull()
  })

  it('reads only the first RULE_REGEX_MAX_INPUT characters of a value', () => {
    const subject = (body: string): RuleSubject => ({
      subject: '',
      body,
      requesterEmail: 'x@example.com',
      channel: 'email',
      priority: 'normal',
      status: 'open',
      department: { id: 1, name: 'Support' },
      topic: null,
      fields: {},
    })
    const needle = { field: 'body', op: 'regex', value: 'NEEDLE' } as const
    expect(conditionHolds(needle, subject(`${'x'.repeat(RULE_REGEX_MAX_INPUT - 6)}needle`))).toBe(true)
    expect(conditionHolds(needle, subject(`${'x'.repeat(RULE_REGEX_MAX_INPUT)}needle`))).toBe(false)
    // A pattern saved before patterns were checked never matches, and never throws.
    expect(conditionHolds({ field: 'body', op: 'regex', value: '(a)\\1' }, subject('aa'))).toBe(false)
  })
})

describe.each(DATABASES)('saving rule regexes on %s', (kind) => {
  let t: TestServer
  let admin: Client
  beforeAll(async () => {
    t = await startServer(kind)
    admin = await new Client(t.url).as('admin@example.com')
  })
  afterAll(() => t.close())

  const rule = (value: string) => ({
    name: `Pattern ${value}`,
    event: 'ticket.created',
    conditions: [{ field: 'subject', op: 'regex', value }],
    actions: [{ type: 'add_tag', value: 'x' }],
  })

  it('refuses backreferences and lookaround with 400 invalid_rule that says why', async () => {
    for (const pattern of ['(a)\\1', '(?=urgent)', '(?!spam)x', '(?<=re: )x', '(?<!no )x', '(?<n>a)\\k<n>']) {
      const res = await admin.post('/api/v1/admin/rules', rule(pattern))
      expect(res.status, pattern).toBe(400)
      expect(res.body.error.code).toBe('invalid_rule')
      expect(res.body.error.message).toMatch(/uses (lookaround|a backreference).*RE2, a linear-time engine/)
      expect(res.body.error.message).toContain('Condition on subject')
    }
    const broken = await admin.post('/api/v1/admin/rules', rule('(unclosed'))
    expect(broken.status).toBe(400)
    expect(broken.body.error.message).toMatch(/not a valid regular expression/)
    expect((await admin.post('/api/v1/admin/rules', rule(CATASTROPHIC))).status).toBe(201)
  })
})

describe('a catastrophic pattern against a running server', () => {
  let server: ChildServer
  let admin: Client
  let ken: Client
  let john: Client

  beforeAll(async () => {
    server = await startChildServer()
    const anon = new Client(server.url)
    admin = await anon.as('admin@example.com')
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    for (const field of ['subject', 'body'])
      expect(
        (
          await admin.post('/api/v1/admin/rules', {
            name: `Wordy ${field}`,
            event: 'ticket.created',
            conditions: [{ field, op: 'regex', value: CATASTROPHIC }],
            actions: [{ type: 'add_tag', value: `wordy-${field}` }],
          })
        ).status,
      ).toBe(201)
  }, 120_000)
  afterAll(() => server?.stop())

  async function tagsOfNewTicket(subject: string, message: string): Promise<string[]> {
    const created = await within(ken.post('/api/v1/tickets', { subject, message }), 30_000)
    if (created === 'no answer')
      throw new Error('the server did not answer within 30 s: its event loop is blocked')
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const tags = await john.get(`/api/v1/tickets/${created.body.ticket.number}/tags`)
    return tags.body.items
  }

  it("matches a customer's 40-character subject correctly and at once, the server answering throughout", async () => {
    expect(EVIL_SUBJECT).toHaveLength(40)
    expect(GOOD_SUBJECT).toHaveLength(40)
    expect(await tagsOfNewTicket(EVIL_SUBJECT, 'Hello!')).toEqual([])
    expect(await tagsOfNewTicket(GOOD_SUBJECT, 'Hello!')).toEqual(['wordy-subject'])
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('matches a 200,000-character body correctly', async () => {
    expect(EVIL_BODY).toHaveLength(200_000)
    expect(GOOD_BODY).toHaveLength(200_000)
    expect(await tagsOfNewTicket('Long: one', EVIL_BODY)).toEqual([])
    expect(await tagsOfNewTicket('Long: two', GOOD_BODY)).toEqual(['wordy-body'])
  })
})
