// Routing configuration is cached per process and re-read when config_version moves. The triggers that bump
// it must catch changes that never went through this process's commands: another process, or plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../src/db/connection.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('routing configuration cache on %s', (kind) => {
  let t: TestServer
  let other: Database
  let ken: Client

  beforeAll(async () => {
    t = await startServer(kind)
    other = openDatabase(t.databaseUrl)
    ken = await new Client(t.url).as('ken@example.com')
  })
  afterAll(async () => {
    await other.close()
    await t.close()
  })

  const open = async (subject: string) => {
    const res = await ken.post('/api/v1/tickets', { subject, message: 'details' })
    expect(res.status).toBe(201)
    return res.body.ticket as { department: { name: string }; priority: string }
  }

  it('sees a default department and a rule written by another connection on the next ticket', async () => {
    expect((await open('Before')).department.name).toBe('Support')

    const billing = await other.writer
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Billing')
      .executeTakeFirstOrThrow()
    await other.writer
      .updateTable('settings')
      .set({ value: String(billing.id) })
      .where('key', '=', 'default_department_id')
      .execute()
    expect((await open('After the move')).department.name).toBe('Billing')

    await other.writer
      .insertInto('rules')
      .values({
        name: 'Outages are urgent',
        event: 'ticket.created',
        conditions: JSON.stringify([{ field: 'subject', op: 'contains', value: 'outage' }]),
        match: 'all',
        actions: JSON.stringify([{ type: 'set_priority', value: 'emergency' }]),
        created_at: Date.now(),
      })
      .execute()
    expect((await open('Total outage')).priority).toBe('emergency')
    expect((await open('A question')).priority).toBe('normal')

    await other.writer.deleteFrom('rules').execute()
    expect((await open('Another outage')).priority).toBe('normal')
  })
})
