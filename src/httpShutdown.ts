import type { FastifyInstance } from 'fastify'

/**
 * Stops listening and ends the live streams (Fastify's close), lets requests in progress finish (new ones on
 * kept-alive connections get 503), and closes each connection as soon as it is idle. Node closes only those
 * idle at the moment close() is called, and one that finishes its request afterwards would otherwise stay open
 * for the keep-alive timeout (72 s in Fastify). A connection that has not yet sent a request is not idle to
 * Node (clients open such connections ahead of use: undici's fetch does, and so do load balancers), so after
 * `graceMs` every connection left is closed.
 */
export async function closeHttp(server: FastifyInstance, graceMs: number): Promise<void> {
  const idle = setInterval(() => server.server.closeIdleConnections(), 50)
  const grace = setTimeout(() => server.server.closeAllConnections(), graceMs)
  try {
    await server.close()
  } finally {
    clearInterval(idle)
    clearTimeout(grace)
  }
}
