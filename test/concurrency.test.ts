// Races: concurrent changes on one version, concurrent creates, and a transfer racing a reply. On every database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../src/commands/auth.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('concurrency on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let ken: Client
  let john: Client
  let lim: Client
  let billingId: number
  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    const db = t.app.db.writer
    const support = await db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Support')
      .executeTakeFirstOrThrow()
    billingId = (
      await db.selectFrom('departments').select('id').where('name', '=', 'Billing').executeTakeFirstOrThrow()
    ).id
    const role = await db
      .selectFrom('roles')
      .select('id')
      .where('key', '=', 'limited_access')
      .executeTakeFirstOrThrow()
    const agent = await db
      .insertInto('users')
      .values({
        type: 'agent',
        name: 'Lim Ited',
        email: 'lim@example.com',
        password_hash: await hashPassword('demo-password'),
        primary_department_id: support.id,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('agent_departments')
      .values({ agent_id: agent.id, department_id: support.id, role_id: role.id })
      .execute()
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    lim = await anon.as('lim@example.com')
  })
  afterAll(() => t.close())

  it('lets exactly one of 20 concurrent changes on the same version through; the rest get 409', async () => {
    const created = await ken.post('/api/v1/tickets', { subject: 'Race', message: 'm' })
    const { number, version } = created.body.ticket
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        john.patch(`/api/v1/tickets/${number}`, { version, subject: `Race ${i}` }),
      ),
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses).toEqual([200, ...Array(19).fill(409)])
    const winner = results.find((r) => r.status === 200)!
    for (const loser of results.filter((r) => r.status === 409)) {
      expect(loser.body.error.code).toBe('version_conflict')
      expect(loser.body.ticket).toMatchObject({ version: version + 1, subject: winner.body.ticket.subject })
    }
    const detail = await john.get(`/api/v1/tickets/${number}`)
    expect(detail.body.ticket.version).toBe(version + 1)
    expect(detail.body.events.filter((e: any) => e.type === 'ticket.subject_changed')).toHaveLength(1)
  })

  it('gives 200 concurrent creates 200 unique numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ken.post('/api/v1/tickets', { subject: `Burst ${i}`, message: 'm' }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201))
    const numbers = new Set(results.map((r) => r.body.ticket.number))
    expect(numbers.size).toBe(200)
    for (const r of results)
      expect((await ken.get(`/api/v1/tickets/${r.body.ticket.number}`)).status).toBe(200)
  })

  it('re-checks access inside the transaction when a transfer races a reply', async () => {
    let repliesIn = 0
    let repliesOut = 0
    for (let round = 0; round < 15; round++) {
      const created = await ken.post('/api/v1/tickets', { subject: `Transfer race ${round}`, message: 'm' })
      const { number, version } = created.body.ticket
      const [transfer, reply] = await Promise.all([
        john.patch(`/api/v1/tickets/${number}`, { version, departmentId: billingId }),
        lim.post(`/api/v1/tickets/${number}/messages`, { body: `Reply ${round}` }),
      ])
      expect(transfer.status).toBe(200)
      expect([201, 404]).toContain(reply.status)
      const events = (await john.get(`/api/v1/tickets/${number}`)).body.events as {
        id: number
        type: string
      }[]
      const transferred = events.find((e) => e.type === 'ticket.transferred')!
      const replied = events.find((e) => e.type === 'response.added')
      if (reply.status === 201) {
        repliesIn++
        // Accepted only while the limited agent still had access: committed before the transfer.
        expect(replied!.id).toBeLessThan(transferred.id)
      } else {
        repliesOut++
        expect(replied).toBeUndefined()
        expect(reply.body).toEqual({ error: { code: 'not_found', message: 'No such ticket.' } })
      }
    }
    expect(repliesIn + repliesOut).toBe(15)
  })
})
