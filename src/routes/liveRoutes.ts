// Live updates: the Server-Sent Events stream, presence on a ticket, and the queue counts the web app shows.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { authenticate } from '../commands/auth.ts'
import { ReportPresence, reportPresence } from '../commands/reportPresence.ts'
import { listQueues } from '../queries/queueQueries.ts'
import { LiveHub, type LiveReader } from '../realtime/liveHub.ts'
import { PresenceBoard } from '../realtime/presence.ts'
import { ErrorOut, requireActor, requireAgent, SESSION_COOKIE } from './http.ts'

const HEARTBEAT_MS = 15_000
const PRESENCE_SWEEP_MS = 5_000

const Viewers = z.array(z.object({ id: z.number(), name: z.string(), state: z.enum(['viewing', 'typing']) }))

export function liveRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const hub = new LiveHub(app)
  const board = new PresenceBoard()
  const streams = new Set<() => void>()

  const sweeper = setInterval(() => {
    const now = app.clock.now()
    for (const t of board.sweep(now)) {
      hub.toAgentsOf(t.id, 'presence', { ticketNumber: t.number, viewers: board.viewersOf(t.id, now) })
    }
  }, PRESENCE_SWEEP_MS).unref()

  // Reports made in any web process (on PostgreSQL they come back through LISTEN, this process's own too).
  const stopPresence = app.bus.onPresence((m) => {
    const viewers = board.report({ id: m.ticketId, number: m.ticketNumber }, m.agent, m.state, m.at)
    hub.toAgentsOf(m.ticketId, 'presence', { ticketNumber: m.ticketNumber, viewers })
  })

  // Open streams would keep close() waiting for ever; end them first.
  server.addHook('preClose', async () => {
    clearInterval(sweeper)
    stopPresence()
    for (const end of [...streams]) end()
    hub.close()
  })

  r.get(
    '/api/v1/events',
    {
      config: { policy: 'signed_in' },
      // A HEAD would open a stream with nothing to send.
      exposeHeadRoute: false,
      schema: {
        tags: ['live'],
        summary: 'Server-Sent Events: changes to the tickets you may see',
        description:
          '`text/event-stream`. `event: ticket` carries `{type, ticketNumber}` (agents also get `actorId`); fetch ' +
          'the ticket for the details. `event: presence` (agents only) carries `{ticketNumber, viewers}`. ' +
          '`event: queues` (agents only, `{}`): a ticket left your queues (transferred or reassigned away); ' +
          'refetch the counts. ' +
          'Only events on tickets the reader may see right now are sent; customers are never told of internal ' +
          'notes. A comment line is sent every 15 s to keep proxies from closing the stream.',
        response: { 401: ErrorOut },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req)
      // The credential this request came with (a personal access token is not kept in req.sessionToken).
      const header = req.headers.authorization
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies[SESSION_COOKIE]
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write(`retry: 2000\n\n`)
      const reader: LiveReader = {
        actor,
        send(event, data) {
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
        },
      }
      const remove = hub.add(reader)
      reader.send('ready', { userId: actor.id })
      let ended = false
      const end = () => {
        if (ended) return
        ended = true
        clearInterval(heartbeat)
        remove()
        streams.delete(end)
        res.end()
      }
      streams.add(end)
      // Each heartbeat also checks the session again and picks up changed roles, so a signed-out or disabled
      // user stops receiving events within 15 s.
      const heartbeat = setInterval(() => {
        void (async () => {
          const auth = token ? await authenticate(app, token) : undefined
          if (!auth || auth.actor.id !== actor.id) return end()
          reader.actor = auth.actor
          res.write(`: heartbeat\n\n`)
        })().catch(() => end())
      }, HEARTBEAT_MS)
      req.raw.on('close', end)
    },
  )

  r.post(
    '/api/v1/tickets/:number/presence',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['live'],
        summary: 'Tell colleagues you are viewing, typing on, or have left a ticket',
        description:
          'Held in memory for 30 s; repeat it while the ticket stays open. Agents who can see the ticket get a ' +
          '`presence` event on the stream.',
        params: z.object({ number: z.string().max(32) }),
        body: ReportPresence,
        response: {
          200: z.object({ viewers: Viewers }),
          400: ErrorOut,
          401: ErrorOut,
          403: ErrorOut,
          404: ErrorOut,
        },
      },
    },
    async (req) => {
      const { viewers } = await reportPresence(app, board, requireAgent(req), req.params.number, req.body)
      return { viewers }
    },
  )

  r.get(
    '/api/v1/queues',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['live'],
        summary: 'My queues with their counts',
        description:
          'Mine, Open, Unassigned, one per department I hold a role in (active tickets), Following (active ' +
          'tickets I follow), then one `view:<id>` per saved view I have (its filters as they are); counted in my ' +
          'scope. A view filtering on requester, organisation, tag or dates is counted among the newest 20,000 ' +
          'tickets, up to 1,000: `countCapped` then says there are at least that many.',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                name: z.string(),
                count: z.number(),
                countCapped: z.boolean().optional(),
                viewId: z.number().optional(),
                shared: z.boolean().optional(),
              }),
            ),
          }),
          401: ErrorOut,
          403: ErrorOut,
        },
      },
    },
    async (req) => ({ items: await listQueues(app, requireAgent(req)) }),
  )
}
