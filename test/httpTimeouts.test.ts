// Inbound HTTP is timed out (issue 9, finding 6): a request whose body trickles or stalls, or whose headers
// never end, is cut off within HTTP_REQUEST_TIMEOUT_MS (here 1 s). Before, Fastify had Node's request timeout
// turned off and such a connection was still open after 130 s.
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startServer, type TestServer } from './support/testServer.ts'

/** Opens a raw connection and collects what the server answers until it closes the connection. */
async function rawConnection(url: string) {
  const { port } = new URL(url)
  const socket: Socket = connect(Number(port), '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  let answer = ''
  socket.setEncoding('latin1')
  socket.on('data', (d: string) => (answer += d))
  socket.on('error', () => {})
  const openedAt = Date.now()
  const closed = new Promise<{ answer: string; afterMs: number }>((resolve) =>
    socket.once('close', () => resolve({ answer, afterMs: Date.now() - openedAt })),
  )
  return { socket, closed }
}

/** Waits for the close, but no longer than `ms`: a connection still open then is the bug. */
const closedWithin = <T>(closed: Promise<T>, ms: number) =>
  Promise.race([
    closed,
    new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms).unref()),
  ])

describe('HTTP request timeouts', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer('sqlite', {
      demo: false,
      env: { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_CONNECTION_TIMEOUT_MS: '3000' },
    })
  })
  afterAll(() => t.close())

  it('has sensible defaults, and the server uses the configured ones', () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 60_000, connectionTimeoutMs: 120_000 })
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS/)
    expect(t.server.server.requestTimeout).toBe(1000)
    expect(t.server.server.timeout).toBe(3000)
  })

  it('cuts off a request whose body stalls after a few bytes', async () => {
    const { socket, closed } = await rawConnection(t.url)
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":',
    )
    const result = await closedWithin(closed, 10_000)
    expect(result).not.toBe('still open')
    if (result !== 'still open') expect(result.answer).toMatch(/^HTTP\/1\.1 408/)
    socket.destroy()
  })

  it('cuts off a body that trickles a byte at a time, each byte in time for an idle timeout', async () => {
    const { socket, closed } = await rawConnection(t.url)
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    )
    const drip = setInterval(() => socket.writable && socket.write(' '), 100)
    try {
      const result = await closedWithin(closed, 10_000)
      expect(result).not.toBe('still open')
    } finally {
      clearInterval(drip)
      socket.destroy()
    }
  })

  it('cuts off a request whose headers never end', async () => {
    const { socket, closed } = await rawConnection(t.url)
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    const result = await closedWithin(closed, 10_000)
    expect(result).not.toBe('still open')
    socket.destroy()
  })

  it('still answers a request that arrives in time', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
  })
})
