import { z } from 'zod'
import type { App } from '../app.ts'
import { notFound } from '../errors.ts'
import type { AgentActor } from '../policies/actor.ts'
import { mayRead } from '../realtime/liveHub.ts'
import { publishPresence } from '../realtime/fanout.ts'
import type { PresenceBoard, Viewer } from '../realtime/presence.ts'
import { accessFactsOf, ticketIdByNumber } from '../repositories/ticketAccessRepo.ts'

export const ReportPresence = z.object({ state: z.enum(['viewing', 'typing', 'left']) })
export type ReportPresence = z.infer<typeof ReportPresence>

/**
 * An agent says they are viewing, typing on, or have left a ticket they can see. The report is applied here at
 * once (the answer lists the viewers) and published to every web process, this one included, whose subscribers
 * apply it again (the same report gives the same board) and tell the agents on their streams.
 */
export async function reportPresence(
  app: App,
  board: PresenceBoard,
  agent: AgentActor,
  number: string,
  input: ReportPresence,
): Promise<{ ticketId: number; viewers: Viewer[] }> {
  const id = await ticketIdByNumber(app.db.read, number)
  const facts = id === undefined ? undefined : (await accessFactsOf(app.db.read, [id])).get(id)
  if (id === undefined || !facts || !mayRead(agent, facts)) throw notFound('ticket')
  const at = app.clock.now()
  const viewers = board.report({ id, number: facts.number }, agent, input.state, at)
  await publishPresence(app, {
    ticketId: id,
    ticketNumber: facts.number,
    agent: { id: agent.id, name: agent.name },
    state: input.state,
    at,
  })
  return { ticketId: id, viewers }
}
