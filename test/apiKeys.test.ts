// API keys from the admin console (issue 18): shown once, scoped, limited to IP ranges and an expiry, listed
// with when they were last used, revoked. Checked through a Bearer call the key's scope allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('API keys on %s', (kind) => {
  let t: TestServer
  let admin: Client

  beforeAll(async () => {
    t = await startServer(kind)
    admin = await new Client(t.url).as('admin@example.com')
  })
  afterAll(() => t?.close())

  async function make(body: Record<string, unknown>) {
    const res = await admin.post('/api/v1/admin/api-keys', { name: 'k', scopes: ['tickets:read'], ...body })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as { id: number; key: string }
  }
  const queue = (key: string) => new Client(t.url, key).get('/api/v1/queues')

  it('is shown once, works within its scope and IP ranges, and records when it was last used', async () => {
    const { id, key } = await make({ name: 'reporting', allowedIps: ['127.0.0.0/8', '::1'] })
    expect((await queue(key)).status).toBe(200)
    const listed = (await admin.get('/api/v1/admin/api-keys')).body.items.find(
      (k: { id: number }) => k.id === id,
    )
    expect(listed).toMatchObject({
      name: 'reporting',
      scopes: ['tickets:read'],
      allowedIps: ['127.0.0.0/8', '::1'],
    })
    expect(listed.lastUsedAt).not.toBeNull()
    expect(listed.expiresAt).toBeNull()
    expect(JSON.stringify(listed)).not.toContain(key)
  })

  it('is refused from an address outside its ranges', async () => {
    const { key } = await make({ allowedIps: ['10.0.0.0/8'] })
    const res = await queue(key)
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('invalid_api_key')
  })

  it('is refused after it expires, and after it is revoked', async () => {
    const past = await make({ expiresAt: new Date(Date.now() - 60_000).toISOString() })
    expect((await queue(past.key)).body.error).toMatchObject({
      code: 'invalid_api_key',
      message: 'API key expired',
    })
    const future = await make({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect((await queue(future.key)).status).toBe(200)
    const revoked = await admin.request('DELETE', `/api/v1/admin/api-keys/${future.id}`)
    expect(revoked.status).toBe(204)
    expect((await queue(future.key)).status).toBe(401)
  })

  it('refuses bad ranges and unknown scopes', async () => {
    expect(
      (
        await admin.post('/api/v1/admin/api-keys', {
          name: 'x',
          scopes: ['tickets:read'],
          allowedIps: ['10.0.0.0/33'],
        })
      ).status,
    ).toBe(400)
    expect((await admin.post('/api/v1/admin/api-keys', { name: 'x', scopes: ['everything'] })).status).toBe(
      400,
    )
  })
})
