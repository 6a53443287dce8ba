// Outgoing mail templates. Admins may override any of them (mail_templates); these are the defaults.
// Templates are plain text with {{variables}}; the HTML part is the same text, escaped, so no variable
// (a subject, a customer's message) can inject markup.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

// The template keys are defined once in src/shared/mail.ts (the admin console imports them too).
import { TEMPLATE_KEYS, type TemplateKey } from '../shared/mail.ts'
export { TEMPLATE_KEYS, type TemplateKey }

export const TEMPLATE_VARIABLES = [
  'ticket.number',
  'ticket.subject',
  'ticket.link',
  'department.name',
  'recipient.name',
  'recipient.email',
  'author.name',
  'message',
  'reset.link',
  'reset.expires',
  'signin.link',
  'signin.expires',
  'kb.suggestions',
  'satisfaction.question',
  'satisfaction.good',
  'satisfaction.bad',
  'satisfaction.expires',
] as const

/** The line above which customers type their reply; everything below it is stripped from replies. */
export const REPLY_MARKER = '##- Please type your reply above this line -##'

export const DEFAULT_TEMPLATES: Record<TemplateKey, { subject: string; body: string }> = {
  autoresponse: {
    subject: '[#{{ticket.number}}] {{ticket.subject}}',
    body:
      'Dear {{recipient.name}},\n\nWe received your request and opened ticket #{{ticket.number}}. ' +
      'A member of our {{department.name}} team will reply soon.\n\nYou can follow it here: {{ticket.link}}\n\n' +
      'Reply to this email to add to your ticket.{{kb.suggestions}}',
  },
  reply: {
    subject: 'Re: [#{{ticket.number}}] {{ticket.subject}}',
    body: '{{message}}\n\n{{author.name}}\n\nTicket #{{ticket.number}}: {{ticket.link}}',
  },
  alert_new_ticket: {
    subject: 'New ticket [#{{ticket.number}}] {{ticket.subject}}',
    body: 'A new ticket arrived in {{department.name}}.\n\n{{message}}\n\n{{ticket.link}}',
  },
  alert_assigned: {
    subject: 'Assigned to you: [#{{ticket.number}}] {{ticket.subject}}',
    body: '{{author.name}} assigned ticket #{{ticket.number}} to you.\n\n{{ticket.link}}',
  },
  alert_message: {
    subject: 'New message on [#{{ticket.number}}] {{ticket.subject}}',
    body: '{{author.name}} wrote:\n\n{{message}}\n\n{{ticket.link}}',
  },
  alert_note: {
    subject: 'Internal note on [#{{ticket.number}}] {{ticket.subject}}',
    body: '{{author.name}} added an internal note:\n\n{{message}}\n\n{{ticket.link}}',
  },
  password_reset: {
    subject: 'Reset your password',
    body:
      'Dear {{recipient.name}},\n\nSomeone asked to reset the password of your account. To choose a new ' +
      'password, open this link before {{reset.expires}}:\n\n{{reset.link}}\n\nIf it was not you, ignore this ' +
      'email: your password stays as it is.',
  },
  ticket_link: {
    subject: 'Your link to ticket #{{ticket.number}}',
    body:
      'Dear {{recipient.name}},\n\nSomeone asked to check the status of ticket #{{ticket.number}} ' +
      '({{ticket.subject}}). To open it, use this link before {{signin.expires}}. It works once:\n\n' +
      '{{signin.link}}\n\nIf it was not you, ignore this email: nobody can open the ticket without this link.',
  },
  satisfaction: {
    subject: '{{satisfaction.question}} [#{{ticket.number}}] {{ticket.subject}}',
    body:
      'Dear {{recipient.name}},\n\nYour ticket #{{ticket.number}} ({{ticket.subject}}) was resolved. ' +
      '{{satisfaction.question}}\n\nGood: {{satisfaction.good}}\n\nBad: {{satisfaction.bad}}\n\n' +
      'Either link opens a page where you may add a comment. It works once, until {{satisfaction.expires}}; ' +
      'until then you can also change your answer on the ticket in the portal.',
  },
}

export type TemplateVars = Partial<Record<(typeof TEMPLATE_VARIABLES)[number], string>>

export async function loadTemplate(
  db: Kysely<DB>,
  key: TemplateKey,
): Promise<{ subject: string; body: string; custom: boolean }> {
  const row = await db
    .selectFrom('mail_templates')
    .select(['subject', 'body'])
    .where('key', '=', key)
    .executeTakeFirst()
  return row ? { ...row, custom: true } : { ...DEFAULT_TEMPLATES[key], custom: false }
}

export function fill(template: string, vars: TemplateVars, escape: (s: string) => string = (s) => s): string {
  return template.replace(/\{\{\s*([a-z.]+)\s*\}\}/g, (whole, name: string) => {
    const value = (vars as Record<string, string | undefined>)[name]
    return value === undefined ? whole : escape(value)
  })
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface Rendered {
  subject: string
  text: string
  html: string
}

/**
 * Subject, plain text and HTML for one message, with the reply marker on top. `messageHtml` (sanitised HTML of a
 * formatted entry) takes {{message}}'s place in the HTML part; the text part keeps the plain-text copy.
 */
export function render(
  template: { subject: string; body: string },
  vars: TemplateVars,
  messageHtml?: string,
): Rendered {
  const subject = fill(template.subject, vars).replace(/[\r\n]+/g, ' ')
  const text = `${REPLY_MARKER}\n\n${fill(template.body, vars)}\n`
  const MESSAGE = '\u0000message\u0000'
  const body = fill(
    escapeHtml(template.body),
    messageHtml === undefined ? vars : { ...vars, message: MESSAGE },
    (s) => (s === MESSAGE ? s : escapeHtml(s)),
  )
    .replace(/\n/g, '<br>\n')
    .replaceAll(MESSAGE, () => `<div dir="auto">${messageHtml ?? ''}</div>`)
  const html =
    `<!doctype html><html><body><div style="color:#888">${escapeHtml(REPLY_MARKER)}</div><br>\n` +
    `<div>${body}</div></body></html>`
  return { subject, text, html }
}
