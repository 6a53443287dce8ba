// Automation rules: what they may test and do, and the pure matching of conditions against a ticket.
// Running the actions (which touch the database) is commands/ticketAutomation.ts.
// The vocabulary is defined once in src/shared/rules.ts (the admin console imports it too).
import { RE2JS } from 're2js'
import {
  RULE_FIELDS,
  type RuleActionType,
  type RuleEvent,
  type RuleFixedField,
  type RuleMatch,
  type RuleOp,
} from '../shared/rules.ts'
export {
  RULE_ACTIONS,
  RULE_EVENTS,
  RULE_FIELDS,
  RULE_MATCHES,
  RULE_OPS,
  type RuleActionType,
  type RuleEvent,
  type RuleOp,
} from '../shared/rules.ts'

/** A fixed field, or `field.<key>` for a custom field. */
export type RuleField = RuleFixedField | `field.${string}`

export interface RuleCondition {
  field: RuleField
  op: RuleOp
  value: string
}

export interface RuleAction {
  type: RuleActionType
  value?: string | number | null | undefined
}

export interface Rule {
  id: number
  name: string
  event: RuleEvent
  conditions: RuleCondition[]
  match: RuleMatch
  actions: RuleAction[]
  stopProcessing: boolean
}

/** What a rule can see of a ticket at the moment it runs. */
export interface RuleSubject {
  subject: string
  /** The message that triggered the rule (the first message on create); empty on plain updates. */
  body: string
  requesterEmail: string
  channel: string
  priority: string
  status: string
  department: { id: number; name: string }
  topic: { id: number; name: string } | null
  fields: Record<string, unknown>
  /** The rating just given (`good` or `bad`), on `satisfaction.rated`; empty otherwise. */
  satisfaction?: string | undefined
}

export function isRuleField(value: string): value is RuleField {
  return (RULE_FIELDS as readonly string[]).includes(value) || /^field\.[a-z][a-z0-9_]{0,63}$/.test(value)
}

/** The values a condition's field has; department and topic match by id or by name. */
function valuesOf(field: RuleField, s: RuleSubject): string[] {
  switch (field) {
    case 'subject':
      return [s.subject]
    case 'body':
      return [s.body]
    case 'requester_email':
      return [s.requesterEmail]
    case 'requester_domain':
      return [s.requesterEmail.split('@')[1] ?? '']
    case 'channel':
      return [s.channel]
    case 'priority':
      return [s.priority]
    case 'status':
      return [s.status]
    case 'department':
      return [String(s.department.id), s.department.name]
    case 'topic':
      return s.topic ? [String(s.topic.id), s.topic.name] : ['']
    case 'satisfaction':
      return [s.satisfaction ?? '']
    default: {
      const v = s.fields[field.slice('field.'.length)]
      if (v === undefined || v === null) return ['']
      return Array.isArray(v) ? v.map(String) : [String(v)]
    }
  }
}

// ---- regex conditions ----------------------------------------------------------------------------------------
// Rules run inside the write transaction of every ticket command, on text a stranger writes (a mail's subject
// and body). V8's backtracking engine took minutes for `^(\w+\s?)+$` on a 40-character subject (issue 9), so
// rule patterns run on re2js, RE2's linear-time algorithm in plain JavaScript: time grows with the input, never
// exponentially (bench/ruleRegex.ts). RE2 has no backreferences or lookaround; such patterns are refused at
// save time.

/** Characters of a value a regex condition reads (the start of it): bounds the time of each match. */
export const RULE_REGEX_MAX_INPUT = 50_000

const compiled = new Map<string, RE2JS>()

class UnusablePattern extends Error {}

/** Whether a (valid JavaScript) pattern uses what RE2 has not: a backreference or lookaround. */
function backtrackingOnly(pattern: string): string | null {
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '\\') {
      const next = pattern[i + 1] ?? ''
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return 'a backreference'
      i++
    } else if (inClass) {
      if (ch === ']') inClass = false
    } else if (ch === '[') inClass = true
    else if (ch === '(' && /^\(\?<?[=!]/.test(pattern.slice(i, i + 4))) return 'lookaround'
  }
  return null
}

/**
 * Compiles a rule pattern as the matcher runs it: JavaScript syntax with the `iu` flags (what admins were
 * promised), translated to RE2's. Throws, with the reason in words, for a pattern that cannot be a condition.
 */
export function compileRuleRegex(pattern: string): RE2JS {
  const hit = compiled.get(pattern)
  if (hit) return hit
  const reason = (error: unknown) =>
    error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error)
  try {
    // Only parsed here, never run: V8 parses in linear time.
    new RegExp(pattern, 'iu')
  } catch (error) {
    throw new UnusablePattern(`is not a valid regular expression (${reason(error)})`)
  }
  const unsupported = backtrackingOnly(pattern)
  if (unsupported)
    throw new UnusablePattern(
      `uses ${unsupported}, which rule patterns cannot: they run on RE2, a linear-time engine (docs/sla.md)`,
    )
  let re: RE2JS
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.CASE_INSENSITIVE)
  } catch (error) {
    throw new UnusablePattern(`cannot run on RE2, the linear-time engine of rules (${reason(error)})`)
  }
  if (compiled.size >= 1000) compiled.clear()
  compiled.set(pattern, re)
  return re
}

/** Why a pattern cannot be a rule condition, in words for the admin; null when it can. */
export function ruleRegexProblem(pattern: string): string | null {
  try {
    compileRuleRegex(pattern)
    return null
  } catch (error) {
    if (error instanceof UnusablePattern) return error.message
    throw error
  }
}

function regexHolds(pattern: string, values: string[]): boolean {
  let re: RE2JS
  try {
    re = compileRuleRegex(pattern)
  } catch {
    // Saved before patterns were checked against RE2: it can never match, and never stops the command.
    return false
  }
  return values.some((v) => re.test(v.length > RULE_REGEX_MAX_INPUT ? v.slice(0, RULE_REGEX_MAX_INPUT) : v))
}

/** Text comparisons ignore case (as osTicket's filters do); a regex is given the `i` flag too. */
export function conditionHolds(c: RuleCondition, s: RuleSubject): boolean {
  const values = valuesOf(c.field, s).map((v) => v.toLowerCase())
  const want = c.value.toLowerCase()
  switch (c.op) {
    case 'equals':
      return values.some((v) => v === want)
    case 'not_equals':
      return values.every((v) => v !== want)
    case 'contains':
      return values.some((v) => v.includes(want))
    case 'not_contains':
      return values.every((v) => !v.includes(want))
    case 'starts_with':
      return values.some((v) => v.startsWith(want))
    case 'ends_with':
      return values.some((v) => v.endsWith(want))
    case 'regex':
      return regexHolds(c.value, valuesOf(c.field, s))
  }
}

export function ruleMatches(rule: Pick<Rule, 'conditions' | 'match'>, s: RuleSubject): boolean {
  if (rule.conditions.length === 0) return true
  return rule.match === 'all'
    ? rule.conditions.every((c) => conditionHolds(c, s))
    : rule.conditions.some((c) => conditionHolds(c, s))
}
