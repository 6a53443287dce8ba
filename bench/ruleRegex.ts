// Rule regexes on the linear-time engine (re2js) against the catastrophic pattern of issue 9, `^(\w+\s?)+$`:
// a 40-character subject and a 200,000-character body, through the matcher rules use (conditionHolds, which
// reads at most RULE_REGEX_MAX_INPUT characters) and on the whole body with the engine itself. For contrast,
// V8's backtracking engine on short inputs: each extra character doubles its time.
// Run: node bin/run-ts.js bench/ruleRegex.ts
import { performance } from 'node:perf_hooks'
import {
  compileRuleRegex,
  conditionHolds,
  RULE_REGEX_MAX_INPUT,
  type RuleSubject,
} from '../src/domain/rules.ts'
import { machine } from './machine.ts'

const PATTERN = '^(\\w+\\s?)+$'
const subjectOf = (subject: string, body: string): RuleSubject => ({
  subject,
  body,
  requesterEmail: 'stranger@example.net',
  channel: 'email',
  priority: 'normal',
  status: 'open',
  department: { id: 1, name: 'Support' },
  topic: null,
  fields: {},
})

function time<T>(work: () => T, runs = 5): { ms: number; result: T } {
  let result = work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    result = work()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(runs / 2)]!, result }
}

const subject40 = `${'a'.repeat(39)}!`
const bodyNoMatch = `${'a'.repeat(40)}!${' word'.repeat(40_000)}`.slice(0, 200_000)
const bodyAllWords = `${'ab'.repeat(99_999)}!!`
const bodyMatch = 'word '.repeat(40_000)

console.log(`rule regex bench: ${PATTERN}  (${machine()})`)
console.log(
  `RULE_REGEX_MAX_INPUT = ${RULE_REGEX_MAX_INPUT.toLocaleString('en')} characters; median of 5 runs`,
)
const rows: [string, () => boolean][] = [
  [
    'conditionHolds, 40-char subject (no match)',
    () => conditionHolds({ field: 'subject', op: 'regex', value: PATTERN }, subjectOf(subject40, '')),
  ],
  [
    'conditionHolds, 200,000-char body (no match)',
    () => conditionHolds({ field: 'body', op: 'regex', value: PATTERN }, subjectOf('', bodyNoMatch)),
  ],
  [
    'conditionHolds, 200,000-char body (match)',
    () => conditionHolds({ field: 'body', op: 'regex', value: PATTERN }, subjectOf('', bodyMatch)),
  ],
  [
    're2js on the whole 200,000-char body, one 199,998-char word then !!',
    () => compileRuleRegex(PATTERN).test(bodyAllWords),
  ],
  ['re2js on the whole 200,000-char body (match)', () => compileRuleRegex(PATTERN).test(bodyMatch)],
]
for (const [what, work] of rows) {
  const { ms, result } = time(work)
  console.log(`  ${what.padEnd(70)} ${ms.toFixed(2).padStart(8)} ms  -> ${result}`)
}
console.log("V8's backtracking RegExp (the engine rules used before), n word characters then '!':")
const v8 = new RegExp(PATTERN, 'iu')
for (const n of [18, 20, 22, 24]) {
  const { ms, result } = time(() => v8.test(`${'a'.repeat(n)}!`), 1)
  console.log(`  n = ${String(n).padEnd(66)} ${ms.toFixed(2).padStart(8)} ms  -> ${result}`)
}
console.log('  (about ×2 per character: n = 39, the 40-character subject, is some 2^15 times n = 24, hours)')
