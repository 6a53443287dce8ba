// The OpenAPI document is generated from the same zod schemas that validate requests; it must list every endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './support/testServer.ts'

describe('OpenAPI document', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer('sqlite', { demo: false })
  })
  afterAll(() => t.close())

  it('describes every endpoint of the ticket API with its request schema', async () => {
    const doc = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>>
    }
    expect(doc.openapi).toMatch(/^3\./)
    const expected: [string, string][] = [
      ['post', '/api/v1/auth/login'],
      ['post', '/api/v1/auth/logout'],
      ['get', '/api/v1/auth/me'],
      ['post', '/api/v1/auth/ticket-link'],
      ['post', '/api/v1/auth/ticket-link/redeem'],
      ['get', '/api/v1/departments'],
      ['get', '/api/v1/agents'],
      ['post', '/api/v1/tickets'],
      ['get', '/api/v1/tickets'],
      ['get', '/api/v1/tickets/{number}'],
      ['patch', '/api/v1/tickets/{number}'],
      ['post', '/api/v1/tickets/{number}/messages'],
      ['get', '/api/v1/notifications'],
      ['post', '/api/v1/notifications/read'],
      ['get', '/api/v1/views'],
      ['post', '/api/v1/views'],
      ['patch', '/api/v1/views/{id}'],
      ['delete', '/api/v1/views/{id}'],
      ['get', '/api/v1/queues'],
    ]
    for (const [method, path] of expected)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined()
    expect(JSON.stringify(doc.paths['/api/v1/tickets']!.post!.requestBody)).toContain('subject')
    expect(doc.paths['/api/v1/tickets']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'view',
        'viewId',
        'status',
        'priority',
        'assignee',
        'tag',
        'sort',
        'order',
        'q',
        'cursor',
      ]),
    )
    expect(JSON.stringify(doc.paths['/api/v1/tickets/{number}']!.patch)).toContain('version')
    expect(JSON.stringify(doc.paths['/api/v1/auth/ticket-link']!.post!.requestBody)).toContain('number')
    expect(JSON.stringify(doc.paths['/api/v1/auth/ticket-link/redeem']!.post!.requestBody)).toContain('token')
  })
})
