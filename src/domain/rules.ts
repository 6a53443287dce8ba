// Automation rules: what they may test and do, and the pure matching of conditions against a ticket.
// Running the actions (which touch the database) is commands/ticketAutomation.ts.

export const RULE_EVENTS = ['ticket.created', 'ticket.updated', 'message.received'] as const
export type RuleEvent = (typeof RULE_EVENTS)[number]

export const RULE_OPS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'regex',
] as const
export type RuleOp = (typeof RULE_OPS)[number]

export const RULE_FIELDS = [
  'subject',
  'body',
  'requester_email',
  'requester_domain',
  'channel',
  'priority',
  'status',
  'department',
  'topic',
] as const
/** A fixed field, or `field.<key>` for a custom field. */
export type RuleField = (typeof RULE_FIELDS)[number] | `field.${string}`

export const RULE_ACTIONS = [
  'set_priority',
  'set_status',
  'set_department',
  'set_team',
  'set_assignee',
  'set_sla_plan',
  'add_tag',
  'add_follower',
  'send_canned_reply',
  'reject',
] as const
export type RuleActionType = (typeof RULE_ACTIONS)[number]

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
  match: 'all' | 'any'
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
    default: {
      const v = s.fields[field.slice('field.'.length)]
      if (v === undefined || v === null) return ['']
      return Array.isArray(v) ? v.map(String) : [String(v)]
    }
  }
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
    case 'regex': {
      const re = new RegExp(c.value, 'iu')
      return valuesOf(c.field, s).some((v) => re.test(v))
    }
  }
}

export function ruleMatches(rule: Pick<Rule, 'conditions' | 'match'>, s: RuleSubject): boolean {
  if (rule.conditions.length === 0) return true
  return rule.match === 'all'
    ? rule.conditions.every((c) => conditionHolds(c, s))
    : rule.conditions.some((c) => conditionHolds(c, s))
}
