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

/** The values of the variables for one ticket (any row with these columns), as the composer and macros fill them. */
export function ticketVariables(
  t: {
    number: string
    subject: string
    status: string
    priority: string
    requester_name: string
    requester_email: string
    department_name: string
  },
  statusName: (key: string) => string,
  agent: { name: string; email: string },
): Partial<Record<TemplateVariable, string>> {
  return {
    'ticket.number': t.number,
    'ticket.subject': t.subject,
    'ticket.status': statusName(t.status),
    'ticket.priority': t.priority,
    'requester.name': t.requester_name,
    'requester.email': t.requester_email,
    'department.name': t.department_name,
    'agent.name': agent.name,
    'agent.email': agent.email,
  }
}
