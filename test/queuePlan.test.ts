// Every list query must use an index: the queue query's plan is checked on each database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { explain } from '../src/db/dialect.ts'
import { buildListQuery, ListTickets, resolveList } from '../src/queries/ticketQueries.ts'
import type { AgentActor, CustomerActor } from '../src/policies/actor.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe.each(DATABASES)('queue query plan on %s', (kind) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer(kind)
    // Enough rows that PostgreSQL's planner prefers indexes to a sequential scan.
    const db = t.app.db.writer
    const now = Date.now()
    await t.app.db.transact(async (trx) => {
      const ken = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ken@example.com')
        .executeTakeFirstOrThrow()
      const rows = Array.from({ length: 5000 }, (_, i) => ({
        id: i + 1,
        number: String(100001 + i),
        subject: `Bulk ${i}`,
        department_id: 1 + (i % 3),
        requester_id: ken.id,
        priority: 'normal',
        status: i % 5 === 0 ? 'closed' : 'open',
        source: 'web',
        created_at: now - i * 1000,
        updated_at: now - i * 1000,
        last_activity_at: now - i * 1000,
      }))
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('tickets')
          .values(rows.slice(i, i + 500))
          .execute()
    })
    if (kind === 'postgres') await sql`analyze`.execute(db)
  })
  afterAll(() => t.close())

  const john: AgentActor = {
    kind: 'agent',
    id: 1,
    name: 'John Doe',
    email: 'john@example.com',
    isAdmin: false,
    primaryDepartmentId: 1,
    roles: new Map([[1, new Set(['ticket.reply'] as const)]]),
    teamIds: [7],
  }
  const ken: CustomerActor = {
    kind: 'customer',
    id: 5,
    name: 'Ken',
    email: 'ken@example.com',
    organizationId: null,
  }

  const planOf = async (actor: AgentActor | CustomerActor, query: Record<string, string>) => {
    const input = ListTickets.parse(query)
    const compiled = buildListQuery(t.app, actor, input, await resolveList(t.app, actor, input)).compile()
    return explain(t.app.db.dialect, t.app.db.read, compiled)
  }

  it.each([
    ['agent open queue', john, { view: 'open' }],
    ['agent mine', john, { view: 'mine' }],
    ['agent unassigned', john, { view: 'unassigned' }],
    [
      'agent all, second page',
      john,
      { view: 'all', cursor: Buffer.from(JSON.stringify(['activity', 'desc', Date.now(), 10])).toString('base64url') },
    ],
    ['customer list', ken, {}],
  ] as const)('%s reads tickets through an index, without sorting the table', async (_name, actor, query) => {
    const plan = await planOf(actor, query)
    if (process.env.SHOW_PLANS) console.log(plan)
    if (kind === 'sqlite') {
      expect(plan).toMatch(/(SCAN|SEARCH) tickets USING (COVERING )?INDEX tickets_\w+/)
      expect(plan).not.toMatch(/SCAN tickets(?! USING)/)
      expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    } else {
      expect(plan).toMatch(/Index (Only )?Scan.* on tickets|Bitmap Index Scan on tickets_/)
      expect(plan).not.toMatch(/Seq Scan on tickets/)
    }
  })
})
