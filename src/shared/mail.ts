// Outgoing mail: the templates an admin may override and the alerts an agent may turn off, with the words the
// screens show. Rendering and sending are src/mail/; src/shared/ files import nothing (the web app bundles
// them too).

export const TEMPLATE_KEYS = [
  'autoresponse',
  'reply',
  'alert_new_ticket',
  'alert_assigned',
  'alert_message',
  'alert_note',
  'password_reset',
  'ticket_link',
  'satisfaction',
] as const
export type TemplateKey = (typeof TEMPLATE_KEYS)[number]
export const TEMPLATE_LABELS: Record<TemplateKey, string> = {
  autoresponse: 'Auto-response to a new ticket',
  reply: 'Agent reply',
  alert_new_ticket: 'Alert: new ticket',
  alert_assigned: 'Alert: ticket assigned',
  alert_message: 'Alert: new message',
  alert_note: 'Alert: internal note',
  password_reset: 'Password reset',
  ticket_link: 'Sign-in link to a ticket',
  satisfaction: 'Satisfaction survey',
}

/** Mail alerts an agent receives unless they turn them off (GET/PUT /api/v1/me/mail-alerts). */
export const AGENT_ALERTS = ['new_ticket', 'assigned', 'new_message', 'note_followed'] as const
export type AgentAlert = (typeof AGENT_ALERTS)[number]
export const AGENT_ALERT_LABELS: Record<AgentAlert, string> = {
  new_ticket: 'A new ticket in my departments',
  assigned: 'A ticket is assigned to me',
  new_message: 'A new message on a ticket assigned to me',
  note_followed: 'An internal note on a ticket I follow',
}
