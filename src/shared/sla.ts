// Service levels: the state of a ticket's clock, the hours a target counts in, and what an escalation does,
// with the words the web app shows. The clock's arithmetic is src/domain/slaClock.ts; src/shared/ files import
// nothing (the web app bundles them too).

export const SLA_STATES = ['ok', 'at_risk', 'breached', 'paused'] as const
export type SlaState = (typeof SLA_STATES)[number]

/** A target counts business hours (the plan's schedule) or round the clock. */
export const SLA_HOURS = ['business', '24x7'] as const
export type SlaHours = (typeof SLA_HOURS)[number]
export const SLA_HOURS_LABELS: Record<SlaHours, string> = { business: 'Business hours', '24x7': '24x7' }

/** When an escalation fires: the ticket's clock crossed into this state. */
export const ESCALATION_TRIGGERS = ['at_risk', 'breached'] as const
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number]
export const ESCALATION_TRIGGER_LABELS: Record<EscalationTrigger, string> = {
  at_risk: 'At risk',
  breached: 'Breached',
}

export const ESCALATION_TYPES = ['raise_priority', 'reassign', 'notify_team'] as const
export type EscalationType = (typeof ESCALATION_TYPES)[number]
export const ESCALATION_TYPE_LABELS: Record<EscalationType, string> = {
  raise_priority: 'Raise priority one step',
  reassign: 'Reassign',
  notify_team: 'Notify a team',
}

/** The days of a business-hours schedule. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
}
