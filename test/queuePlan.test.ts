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
      // Many requesters, as in a real desk: with one, no plan would start from the customers.
      const requesters = await trx
        .insertInto('users')
        .values(
          Array.from({ length: 200 }, (_, i) => ({
            type: 'customer' as const,
            name: `Customer ${i}`,
            email: `customer${i}@plan.example`,
            created_at: now,
          })),
        )
        .returning('id')
        .execute()
      const rows = Array.from({ length: 5000 }, (_, i) => ({
        id: i + 1,
        number: String(100001 + i),
        subject: `Bulk ${i}`,
        department_id: 1 + (i % 3),
        requester_id: i % 4 === 0 ? ken.id : requesters[i % requesters.length]!.id,
        priority: (['low', 'normal', 'high', 'emergency'] as const)[i % 4]!,
        status: i % 5 === 0 ? 'closed' : 'open',
        sla_state: ([null, 'ok', 'at_risk', 'breached', 'paused'] as const)[i % 5]!,
        sla_resolution_due_at: i % 5 === 0 ? null : now + i * 1000,
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
      // Followed and tagged tickets, a few of each, as in a real desk.
      for (let i = 1; i <= 5000; i += 97) {
        await trx
          .insertInto('ticket_followers')
          .values({ ticket_id: i, agent_id: 1, created_at: now })
          .execute()
        await trx.insertInto('ticket_tags').values({ ticket_id: i, tag: 'vip' }).execute()
      }
    })
    // Statistics as a running desk has them (SQLite's planner uses them to choose the join order).
    await sql`analyze`.execute(db)
  })
  afterAll(() => t.close())

  // A tag, a requester, an organisation or the followed tickets are a small set next to a queue: found through
  // their own index and then sorted (the set, never the table). PostgreSQL, at 5,000 rows, may hash-join such a
  // set instead; its plans at a million rows are measured by the bench.
  it.each([
    ['agent tag', { tag: 'vip' }, /ticket_tags_tag|ticket_tags_pk/],
    ['agent requester', { requester: 'ken@example.com', sort: 'created' }, /tickets_requester_activity/],
    ['agent organisation', { organizationId: '1' }, /users_organization|tickets_requester_activity/],
    ['agent following', { view: 'following' }, /ticket_followers_agent/],
    ['agent mine by due', { view: 'mine', sort: 'due', order: 'asc' }, /tickets_(assignee_activity|due)/],
    ['agent followed filter', { following: 'true', sort: 'priority' }, /ticket_followers_agent/],
    // One state or one priority reads its own index in activity order.
    ['agent breached view', { view: 'open', sla: 'breached' }, /tickets_sla_state_activity/],
    ['agent emergency view', { view: 'open', priority: 'emergency' }, /tickets_priority/],
  ] as const)('%s reads through the filter’s index', async (_name, query, index) => {
    const plan = await planOf(john, query)
    if (process.env.SHOW_PLANS) console.log(plan)
    if (kind === 'sqlite') {
      expect(plan).toMatch(index)
      expect(plan).not.toMatch(/SCAN tickets(?! USING)/)
    }
  })

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

  const planOf = async (actor: AgentActor | CustomerActor, query: Readonly<Record<string, string>>) => {
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
      {
        view: 'all',
        cursor: Buffer.from(JSON.stringify(['activity', 'desc', Date.now(), 10])).toString('base64url'),
      },
    ],
    [
      'agent open queue, second page',
      john,
      {
        view: 'open',
        cursor: Buffer.from(JSON.stringify(['activity', 'desc', Date.now() - 2_000_000, 10])).toString(
          'base64url',
        ),
      },
    ],
    ['customer list', ken, {}],
    ...(['created', 'updated', 'priority', 'due'] as const).flatMap((sort) =>
      (['desc', 'asc'] as const).map(
        (order) => [`agent open queue by ${sort} ${order}`, john, { view: 'open', sort, order }] as const,
      ),
    ),
    [
      'agent by due, second page',
      john,
      {
        sort: 'due',
        order: 'asc',
        cursor: Buffer.from(JSON.stringify(['due', 'asc', 0, 10])).toString('base64url'),
      },
    ],
    [
      'agent by priority, second page',
      john,
      {
        sort: 'priority',
        cursor: Buffer.from(JSON.stringify(['priority', 'desc', 4, Date.now(), 10])).toString('base64url'),
      },
    ],
    ['agent emergencies', john, { view: 'open', priority: 'emergency,high' }],
    ['agent breached', john, { view: 'open', sla: 'breached,at_risk' }],
    ['agent department and team', john, { departmentId: '1', teamId: '7', assignee: 'none' }],
    ['agent dates', john, { createdFrom: '2026-01-01', updatedTo: '2030-01-01', sort: 'updated' }],
    ['customer by created', ken, { sort: 'created', order: 'asc' }],
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
