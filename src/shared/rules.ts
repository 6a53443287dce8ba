// Automation rules: what they may test and do, with the words the admin console shows. The matching itself is
// src/domain/rules.ts; src/shared/ files import nothing (the web app bundles them too).

/** `satisfaction.rated`: a requester answered (or changed) a satisfaction survey; `satisfaction` is the rating. */
export const RULE_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'message.received',
  'satisfaction.rated',
] as const
export type RuleEvent = (typeof RULE_EVENTS)[number]
export const RULE_EVENT_LABELS: Record<RuleEvent, string> = {
  'ticket.created': 'Ticket created',
  'ticket.updated': 'Ticket updated',
  'message.received': 'Message received',
  'satisfaction.rated': 'Satisfaction rated',
}

/** Every condition must match, or any one. */
export const RULE_MATCHES = ['all', 'any'] as const
export type RuleMatch = (typeof RULE_MATCHES)[number]

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
export const RULE_OP_LABELS: Record<RuleOp, string> = {
  equals: 'equals',
  not_equals: 'not equals',
  contains: 'contains',
  not_contains: 'not contains',
  starts_with: 'starts with',
  ends_with: 'ends with',
  regex: 'regex',
}

/** The fixed fields; a condition may also name `field.<key>` for a custom field. */
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
  'satisfaction',
] as const
export type RuleFixedField = (typeof RULE_FIELDS)[number]
export const RULE_FIELD_LABELS: Record<RuleFixedField, string> = {
  subject: 'Subject',
  body: 'Message body',
  requester_email: 'Requester email',
  requester_domain: 'Requester domain',
  channel: 'Channel',
  priority: 'Priority',
  status: 'Status',
  department: 'Department',
  topic: 'Help topic',
  satisfaction: 'Satisfaction rating',
}

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
  /** An in-app notification to one agent (a team lead told of a bad rating). */
  'notify_agent',
  'reject',
] as const
export type RuleActionType = (typeof RULE_ACTIONS)[number]
export const RULE_ACTION_LABELS: Record<RuleActionType, string> = {
  set_priority: 'set priority',
  set_status: 'set status',
  set_department: 'set department',
  set_team: 'set team',
  set_assignee: 'set assignee',
  set_sla_plan: 'set SLA plan',
  add_tag: 'add tag',
  add_follower: 'add follower',
  send_canned_reply: 'send canned reply',
  notify_agent: 'notify agent',
  reject: 'reject',
}
