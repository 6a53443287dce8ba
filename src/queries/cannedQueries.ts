import type { App } from '../app.ts'
import { renderTemplate, ticketVariables } from '../domain/cannedTemplate.ts'
import { notFound } from '../errors.ts'
import { accessFacts } from '../commands/ticketAccess.ts'
import type { AgentActor } from '../policies/actor.ts'
import { canSeeTicket } from '../policies/ticketPolicy.ts'
import { findCanned } from '../repositories/automationRepo.ts'
import { cannedForDepartments } from '../repositories/cannedResponseRepo.ts'
import { tagsOf } from '../repositories/tagRepo.ts'
import { findTicketByNumber } from '../repositories/ticketRepo.ts'

/** Canned responses an agent may use: global ones and those of the agent's departments. */
export async function listCanned(app: App, agent: AgentActor, departmentId?: number) {
  return cannedForDepartments(app.db.read, [...agent.roles.keys()], departmentId)
}

/** A canned response with its variables filled in for one ticket, for the composer to insert. */
export async function renderCannedFor(app: App, agent: AgentActor, number: string, cannedId: number) {
  const ticket = await findTicketByNumber(app.db.read, number)
  if (!ticket) throw notFound('ticket')
  if (!canSeeTicket(agent, await accessFacts(app.db.read, ticket, agent))) throw notFound('ticket')
  const canned = await findCanned(app.db.read, cannedId)
  if (!canned || (canned.department_id !== null && !agent.roles.has(canned.department_id)))
    throw notFound('canned response')
  return {
    id: canned.id,
    title: canned.title,
    body: renderTemplate(
      canned.body,
      ticketVariables(ticket, (key) => app.statuses.get(key)?.name ?? key, agent),
    ),
  }
}

/** Tags on a ticket (set by rules), for agents who can see it. */
export async function ticketTags(app: App, agent: AgentActor, number: string): Promise<string[]> {
  const ticket = await findTicketByNumber(app.db.read, number)
  if (!ticket) throw notFound('ticket')
  if (!canSeeTicket(agent, await accessFacts(app.db.read, ticket, agent))) throw notFound('ticket')
  return tagsOf(app.db.read, ticket.id)
}
