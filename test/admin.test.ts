// The admin console's API on every database: each endpoint's happy path, who may call it, and the account
// rules (a disabled agent or a changed password ends that user's tokens at once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const uniq = () => Math.random().toString(36).slice(2, 8)

describe.each(DATABASES)('admin API on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let admin: Client
  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
  })
  afterAll(() => t.close())

  const makeDepartment = async (name = `Dept ${uniq()}`) => {
    const res = await admin.post('/api/v1/admin/departments', { name })
    expect(res.status).toBe(201)
    return res.body.department as { id: number; name: string }
  }
  const makeAgent = async (memberships: { departmentId: number; role: string }[], extra = {}) => {
    const email = `agent-${uniq()}@example.com`
    const res = await admin.post('/api/v1/admin/agents', {
      name: `Agent ${uniq()}`,
      email,
      password: 'agent-password',
      memberships,
      ...extra,
    })
    expect(res.status).toBe(201)
    return { ...res.body.agent, email } as { id: number; email: string; name: string }
  }
  const adminEvents = async (type: string) =>
    t.app.db.read.selectFrom('events').selectAll().where('type', '=', type).orderBy('id').execute()

  it('lets only admins in: anonymous 401, agents and customers 403 admins_only', async () => {
    const john = await anon.as('john@example.com')
    const ken = await anon.as('ken@example.com')
    const paths = ['departments', 'teams', 'agents', 'customers', 'organizations', 'roles']
    for (const p of paths) {
      const path = `/api/v1/admin/${p}`
      expect((await anon.get(path)).status).toBe(401)
      for (const who of [john, ken]) {
        const res = await who.get(path)
        expect(res.status).toBe(403)
        expect(res.body.error.code).toBe('admins_only')
      }
      expect((await admin.get(path)).status).toBe(200)
    }
    for (const p of paths.filter((x) => x !== 'roles')) {
      const res = await john.post(`/api/v1/admin/${p}`, { name: 'Nope', email: 'nope@example.com' })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('admins_only')
      expect((await john.patch(`/api/v1/admin/${p}/1`, { name: 'Nope' })).status).toBe(403)
    }
    // Nothing was written by the refused calls.
    const nope = await admin.get('/api/v1/admin/departments')
    expect(nope.body.items.map((d: { name: string }) => d.name)).not.toContain('Nope')
  })

  it('lists roles by key', async () => {
    const res = await admin.get('/api/v1/admin/roles')
    expect(res.body.items.map((r: { key: string }) => r.key)).toEqual([
      'all_access',
      'expanded_access',
      'limited_access',
      'view_only',
    ])
    expect(res.body.items[0]).toEqual({
      key: 'all_access',
      name: 'All Access',
      permissions: expect.arrayContaining(['ticket.delete']),
    })
  })

  it('creates, renames, nests and disables departments, refusing duplicates and parent loops', async () => {
    const parent = await makeDepartment()
    const child = await admin.post('/api/v1/admin/departments', {
      name: `Child ${uniq()}`,
      parentId: parent.id,
    })
    expect(child.status).toBe(201)
    expect(child.body.department).toEqual({
      id: expect.any(Number),
      name: expect.stringMatching(/^Child/),
      parentId: parent.id,
      isActive: true,
      autoAssign: 'off',
      maxOpenPerAgent: null,
      assignSignedInWithinMinutes: null,
      managerId: null,
      slaPlanId: null,
      signature: null,
    })
    const childId: number = child.body.department.id

    const dup = await admin.post('/api/v1/admin/departments', { name: parent.name })
    expect(dup.status).toBe(409)
    expect(dup.body.error.code).toBe('already_exists')
    const badParent = await admin.post('/api/v1/admin/departments', { name: `X ${uniq()}`, parentId: 999999 })
    expect(badParent.status).toBe(400)
    expect(badParent.body.error.code).toBe('unknown_department')

    const loop = await admin.patch(`/api/v1/admin/departments/${parent.id}`, { parentId: childId })
    expect(loop.status).toBe(400)
    expect(loop.body.error.code).toBe('parent_cycle')
    const self = await admin.patch(`/api/v1/admin/departments/${parent.id}`, { parentId: parent.id })
    expect(self.body.error.code).toBe('parent_cycle')

    const renamed = await admin.patch(`/api/v1/admin/departments/${childId}`, {
      name: 'Renamed child ' + uniq(),
      parentId: null,
      isActive: false,
    })
    expect(renamed.status).toBe(200)
    expect(renamed.body.department).toMatchObject({ id: childId, parentId: null, isActive: false })
    expect((await admin.patch('/api/v1/admin/departments/999999', { name: 'Ghost' })).status).toBe(404)

    const list = await admin.get('/api/v1/admin/departments')
    expect(list.body.items).toContainEqual(renamed.body.department)

    const events = await adminEvents('admin.department.updated')
    const last = events[events.length - 1]!
    expect(last.ticket_id).toBeNull()
    expect(JSON.parse(last.before!)).toMatchObject({ id: childId, parentId: parent.id, isActive: true })
    expect(JSON.parse(last.after!)).toMatchObject({ id: childId, parentId: null, isActive: false })
  })

  it('creates and edits teams with members', async () => {
    const agents = await admin.get('/api/v1/admin/agents')
    const john = agents.body.items.find((a: { email: string }) => a.email === 'john@example.com')
    const jane = agents.body.items.find((a: { email: string }) => a.email === 'jane@example.com')
    const created = await admin.post('/api/v1/admin/teams', { name: `Team ${uniq()}`, memberIds: [john.id] })
    expect(created.status).toBe(201)
    expect(created.body.team).toMatchObject({ isActive: true, members: [{ id: john.id, name: 'John Doe' }] })
    const teamId: number = created.body.team.id

    const dup = await admin.post('/api/v1/admin/teams', { name: created.body.team.name })
    expect(dup.status).toBe(409)
    const ken = (await admin.get('/api/v1/admin/customers?q=ken')).body.items[0]
    const notAgent = await admin.post('/api/v1/admin/teams', { name: `T ${uniq()}`, memberIds: [ken.id] })
    expect(notAgent.status).toBe(400)
    expect(notAgent.body.error.code).toBe('unknown_agent')

    const edited = await admin.patch(`/api/v1/admin/teams/${teamId}`, {
      memberIds: [jane.id, john.id],
      isActive: false,
    })
    expect(edited.status).toBe(200)
    expect(edited.body.team.isActive).toBe(false)
    expect(edited.body.team.members.map((m: { name: string }) => m.name)).toEqual(['Jane Doe', 'John Doe'])
    const list = await admin.get('/api/v1/admin/teams')
    expect(list.body.items).toContainEqual(edited.body.team)
    expect((await admin.patch('/api/v1/admin/teams/999999', { isActive: true })).status).toBe(404)
  })

  it('creates an agent who can sign in and sees the tickets of the department given to them', async () => {
    const department = await makeDepartment()
    // Customers cannot choose a department, so a colleague with full access there opens the ticket for Ken.
    const colleague = await makeAgent([{ departmentId: department.id, role: 'all_access' }])
    const opener = await anon.as(colleague.email, 'agent-password')
    const opened = await opener.post('/api/v1/tickets', {
      subject: 'Printer on fire',
      message: 'Please help.',
      departmentId: department.id,
      requester: { email: 'ken@example.com' },
    })
    expect(opened.status).toBe(201)

    const agent = await makeAgent([{ departmentId: department.id, role: 'limited_access' }])
    expect(agent).toMatchObject({
      isActive: true,
      isAdmin: false,
      onVacation: false,
      primaryDepartmentId: department.id,
      memberships: [{ departmentId: department.id, departmentName: department.name, role: 'limited_access' }],
    })
    expect(JSON.stringify(agent)).not.toMatch(/argon|password/i)

    const signedIn = await anon.as(agent.email, 'agent-password')
    const tickets = await signedIn.get(`/api/v1/tickets?departmentId=${department.id}`)
    expect(tickets.status).toBe(200)
    expect(tickets.body.items.map((i: { number: string }) => i.number)).toEqual([opened.body.ticket.number])
    expect((await signedIn.get(`/api/v1/tickets/${opened.body.ticket.number}`)).status).toBe(200)

    // Disabling the department keeps its tickets with its agents, but it takes no new ones.
    await admin.patch(`/api/v1/admin/departments/${department.id}`, { isActive: false })
    expect((await signedIn.get(`/api/v1/tickets/${opened.body.ticket.number}`)).status).toBe(200)
    const refused = await opener.post('/api/v1/tickets', {
      subject: 'Another',
      message: 'x',
      departmentId: department.id,
      requester: { email: 'ken@example.com' },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('unknown_department')

    const created = await adminEvents('admin.agent.created')
    expect(JSON.parse(created[created.length - 1]!.after!)).toMatchObject({
      id: agent.id,
      email: agent.email,
    })
    expect(created.map((e) => `${e.before}${e.after}`).join()).not.toMatch(/argon|agent-password/)
  })

  it('refuses bad agent input with stable codes', async () => {
    const department = await makeDepartment()
    const base = { name: 'X', password: 'long-enough', memberships: [] }
    const dupEmail = await admin.post('/api/v1/admin/agents', { ...base, email: 'JOHN@example.com' })
    expect(dupEmail.status).toBe(409)
    expect(dupEmail.body.error.code).toBe('already_exists')
    const customerEmail = await admin.post('/api/v1/admin/agents', { ...base, email: 'ken@example.com' })
    expect(customerEmail.status).toBe(409)
    const short = await admin.post('/api/v1/admin/agents', {
      ...base,
      email: 'a@b.example',
      password: 'short',
    })
    expect(short.status).toBe(400)
    expect(short.body.error.code).toBe('validation_failed')
    const badDept = await admin.post('/api/v1/admin/agents', {
      ...base,
      email: `x-${uniq()}@example.com`,
      memberships: [{ departmentId: 999999, role: 'view_only' }],
    })
    expect(badDept.body.error.code).toBe('unknown_department')
    const badRole = await admin.post('/api/v1/admin/agents', {
      ...base,
      email: `x-${uniq()}@example.com`,
      memberships: [{ departmentId: department.id, role: 'overlord' }],
    })
    expect(badRole.status).toBe(400)
    expect(badRole.body.error.code).toBe('unknown_role')
    expect((await admin.patch('/api/v1/admin/agents/999999', { name: 'Ghost' })).status).toBe(404)
    // A customer's id is not an agent's.
    const ken = (await admin.get('/api/v1/admin/customers?q=ken')).body.items[0]
    expect((await admin.patch(`/api/v1/admin/agents/${ken.id}`, { name: 'Ghost' })).status).toBe(404)
  })

  it('edits an agent: memberships, admin rights, and admins cannot demote themselves', async () => {
    const [a, b] = [await makeDepartment(), await makeDepartment()]
    const agent = await makeAgent([{ departmentId: a.id, role: 'view_only' }])
    const edited = await admin.patch(`/api/v1/admin/agents/${agent.id}`, {
      name: 'Edited Agent',
      isAdmin: true,
      primaryDepartmentId: b.id,
      memberships: [
        { departmentId: b.id, role: 'all_access' },
        { departmentId: a.id, role: 'expanded_access' },
      ],
    })
    expect(edited.status).toBe(200)
    expect(edited.body.agent).toMatchObject({
      name: 'Edited Agent',
      isAdmin: true,
      primaryDepartmentId: b.id,
    })
    const memberships = edited.body.agent.memberships as { departmentId: number; role: string }[]
    expect(memberships).toHaveLength(2)
    expect(memberships).toEqual(
      expect.arrayContaining([
        { departmentId: a.id, departmentName: a.name, role: 'expanded_access' },
        { departmentId: b.id, departmentName: b.name, role: 'all_access' },
      ]),
    )
    const list = await admin.get('/api/v1/admin/agents')
    expect(list.body.items).toContainEqual(edited.body.agent)

    const me = (await admin.get('/api/v1/auth/me')).body.user
    for (const change of [{ isActive: false }, { isAdmin: false }]) {
      const res = await admin.patch(`/api/v1/admin/agents/${me.id}`, change)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('cannot_demote_self')
    }
    expect((await admin.get('/api/v1/admin/roles')).status).toBe(200)
  })

  it('disabling an agent makes their existing token answer 401 at once, and they cannot sign in', async () => {
    const department = await makeDepartment()
    const agent = await makeAgent([{ departmentId: department.id, role: 'all_access' }])
    const session = await anon.as(agent.email, 'agent-password')
    expect((await session.get('/api/v1/auth/me')).status).toBe(200)

    const disabled = await admin.patch(`/api/v1/admin/agents/${agent.id}`, { isActive: false })
    expect(disabled.status).toBe(200)
    expect(disabled.body.agent.isActive).toBe(false)
    expect((await session.get('/api/v1/auth/me')).status).toBe(401)
    const retry = await anon.post('/api/v1/auth/login', { email: agent.email, password: 'agent-password' })
    expect(retry.status).toBe(401)
    const rows = await t.app.db.read
      .selectFrom('sessions')
      .select('user_id')
      .where('user_id', '=', agent.id)
      .execute()
    expect(rows).toEqual([])

    const enabled = await admin.patch(`/api/v1/admin/agents/${agent.id}`, { isActive: true })
    expect(enabled.body.agent.isActive).toBe(true)
    expect((await anon.as(agent.email, 'agent-password')).token).toBeTruthy()
  })

  it('a password change ends every session of the user; the new password works, the old does not', async () => {
    const agent = await makeAgent([])
    const first = await anon.as(agent.email, 'agent-password')
    const second = await anon.as(agent.email, 'agent-password')
    const changed = await admin.patch(`/api/v1/admin/agents/${agent.id}`, { password: 'a-new-password' })
    expect(changed.status).toBe(200)
    expect((await first.get('/api/v1/auth/me')).status).toBe(401)
    expect((await second.get('/api/v1/auth/me')).status).toBe(401)
    expect(
      (await anon.post('/api/v1/auth/login', { email: agent.email, password: 'agent-password' })).status,
    ).toBe(401)
    expect((await anon.as(agent.email, 'a-new-password')).token).toBeTruthy()
    const events = await adminEvents('admin.agent.updated')
    const last = events[events.length - 1]!
    expect(JSON.parse(last.after!)).toEqual({ id: agent.id, passwordChanged: true })
    expect(last.after).not.toContain('a-new-password')
  })

  it('creates, searches, pages and edits customers and organisations', async () => {
    const org = await admin.post('/api/v1/admin/organizations', { name: `Org ${uniq()}` })
    expect(org.status).toBe(201)
    expect(org.body.organization).toMatchObject({ isActive: true, customerCount: 0 })
    const orgId: number = org.body.organization.id
    expect(
      (await admin.post('/api/v1/admin/organizations', { name: org.body.organization.name })).status,
    ).toBe(409)

    const prefix = `Zed${uniq()}`
    const ids: number[] = []
    for (const n of [1, 2, 3]) {
      const res = await admin.post('/api/v1/admin/customers', {
        name: `${prefix} ${n}`,
        email: `${prefix.toLowerCase()}${n}@Example.com`,
        ...(n === 1 ? { organizationId: orgId, password: 'customer-pass' } : {}),
      })
      expect(res.status).toBe(201)
      ids.push(res.body.customer.id)
    }
    const first = await admin.get(`/api/v1/admin/customers?q=${prefix}`)
    expect(first.body.items[0]).toEqual({
      id: ids[0],
      name: `${prefix} 1`,
      email: `${prefix.toLowerCase()}1@example.com`,
      isActive: true,
      organizationId: orgId,
      organizationName: org.body.organization.name,
    })
    const page1 = await admin.get(`/api/v1/admin/customers?q=${prefix}&limit=2`)
    expect(page1.body.items.map((c: { id: number }) => c.id)).toEqual(ids.slice(0, 2))
    const page2 = await admin.get(
      `/api/v1/admin/customers?q=${prefix}&limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
    )
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null })
    const byEmail = await admin.get(`/api/v1/admin/customers?q=${prefix.toLowerCase()}2@`)
    expect(byEmail.body.items.map((c: { id: number }) => c.id)).toEqual([ids[1]])
    // LIKE wildcards in q match only themselves.
    expect((await admin.get('/api/v1/admin/customers?q=%25')).body.items).toEqual([])
    expect((await admin.get('/api/v1/admin/customers?q=_')).body.items).toEqual([])
    expect((await admin.get('/api/v1/admin/customers?cursor=garbage')).body.error.code).toBe('invalid_cursor')

    const dup = await admin.post('/api/v1/admin/customers', { name: 'Dup', email: 'ken@example.com' })
    expect(dup.status).toBe(409)
    expect(dup.body.error.code).toBe('already_exists')
    const badOrg = await admin.post('/api/v1/admin/customers', {
      name: 'Y',
      email: `y-${uniq()}@example.com`,
      organizationId: 999999,
    })
    expect(badOrg.body.error.code).toBe('unknown_organization')

    const orgs = await admin.get('/api/v1/admin/organizations')
    expect(orgs.body.items).toContainEqual({ ...org.body.organization, customerCount: 1 })
    const renamedOrg = await admin.patch(`/api/v1/admin/organizations/${orgId}`, {
      name: `Renamed ${uniq()}`,
      isActive: false,
    })
    expect(renamedOrg.body.organization).toMatchObject({ id: orgId, isActive: false, customerCount: 1 })
    expect((await admin.patch('/api/v1/admin/organizations/999999', { name: 'G' })).status).toBe(404)

    // A customer's session ends when the customer is disabled.
    const customer = await anon.as(`${prefix.toLowerCase()}1@example.com`, 'customer-pass')
    expect((await customer.get('/api/v1/tickets')).status).toBe(200)
    const edited = await admin.patch(`/api/v1/admin/customers/${ids[0]}`, {
      name: `${prefix} One`,
      organizationId: null,
      isActive: false,
    })
    expect(edited.status).toBe(200)
    expect(edited.body.customer).toMatchObject({
      name: `${prefix} One`,
      organizationId: null,
      isActive: false,
    })
    expect((await customer.get('/api/v1/tickets')).status).toBe(401)
    expect((await admin.patch('/api/v1/admin/customers/999999', { name: 'G' })).status).toBe(404)
    const dupEmail = await admin.patch(`/api/v1/admin/customers/${ids[1]}`, { email: 'lena@example.com' })
    expect(dupEmail.status).toBe(409)
  })

  it('answers 409, never 500, when the same name or email is created concurrently', async () => {
    const name = `Race ${uniq()}`
    const email = `race-${uniq()}@example.com`
    const orgs = await Promise.all(
      Array.from({ length: 8 }, () => admin.post('/api/v1/admin/organizations', { name })),
    )
    const customers = await Promise.all(
      Array.from({ length: 8 }, () => admin.post('/api/v1/admin/customers', { name: 'Racer', email })),
    )
    for (const results of [orgs, customers]) {
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
      for (const r of results.filter((x) => x.status === 409))
        expect(r.body.error.code).toBe('already_exists')
    }
  })

  it('describes every admin route in the OpenAPI document', async () => {
    const doc = (await anon.get('/api/v1/openapi.json')).body
    for (const p of ['departments', 'teams', 'agents', 'customers', 'organizations']) {
      expect(doc.paths[`/api/v1/admin/${p}`].post.requestBody).toBeDefined()
      expect(doc.paths[`/api/v1/admin/${p}/{id}`].patch).toBeDefined()
    }
    expect(doc.paths['/api/v1/admin/roles'].get).toBeDefined()
    const agentBody = doc.paths['/api/v1/admin/agents'].post.requestBody.content['application/json'].schema
    expect(agentBody.properties.password.minLength).toBe(8)
  })
})
