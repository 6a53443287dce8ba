// Variables in canned responses: {{ticket.number}}, {{requester.name}} and the like. Only the names listed
// here are replaced; anything else in braces is left as written, so a typo shows up rather than vanishing.

export const TEMPLATE_VARIABLES = [
  'ticket.number',
  'ticket.subject',
  'ticket.status',
  'ticket.priority',
  'requester.name',
  'requester.email',
  'department.name',
  'agent.name',
  'agent.email',
] as const
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number]

export function renderTemplate(body: string, values: Partial<Record<TemplateVariable, string>>): string {
  return body.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name as TemplateVariable]
    return value === undefined ? whole : value
  })
}
