// LDAP / Active Directory sign-in (issue 18) against a real OpenLDAP (Debian's slapd) on loopback: agents sign
// in on the usual form with their directory password, the first time creating the agent; groups give
// departments and roles at every sign-in; a wrong password is the same "access denied" as a wrong local
// one; people outside the search filter are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeFilterValue } from '../src/commands/ldapSignIn.ts'
import { Client } from './support/client.ts'
import { LDAP_ROOT_DN, LDAP_ROOT_PASSWORD, LDAP_SUFFIX, startSlapd, type Slapd } from './support/slapd.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const person = (uid: string, name: string, type: string) => `
dn: uid=${uid},ou=people,${LDAP_SUFFIX}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${name}
sn: ${name.split(' ')[1]}
mail: ${uid}@dir.example
employeeType: ${type}
userPassword: ${uid}-directory-password
`
const ENTRIES = `dn: ${LDAP_SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,${LDAP_SUFFIX}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${LDAP_SUFFIX}
objectClass: organizationalUnit
ou: groups
${person('dana', 'Dana Scully', 'staff')}${person('fox', 'Fox Mulder', 'staff')}${person('walter', 'Walter Skinner', 'contractor')}
dn: cn=support-agents,ou=groups,${LDAP_SUFFIX}
objectClass: groupOfNames
cn: support-agents
member: uid=dana,ou=people,${LDAP_SUFFIX}
member: uid=walter,ou=people,${LDAP_SUFFIX}

dn: cn=billing-leads,ou=groups,${LDAP_SUFFIX}
objectClass: groupOfNames
cn: billing-leads
member: uid=fox,ou=people,${LDAP_SUFFIX}
`

describe('LDAP filter values', () => {
  it('escapes what would change the filter (RFC 4515)', () => {
    expect(escapeFilterValue('a*)(uid=*')).toBe('a\\2a\\29\\28uid=\\2a')
    expect(escapeFilterValue('back\\slash\u0000')).toBe('back\\5cslash\\00')
  })
})

describe.each(DATABASES)('LDAP sign-in on %s', (kind) => {
  let t: TestServer
  let slapd: Slapd
  let admin: Client
  let anon: Client
  let support: number
  let billing: number

  beforeAll(async () => {
    slapd = await startSlapd(ENTRIES)
    t = await startServer(kind)
    anon = new Client(t.url)
    admin = await anon.as('admin@example.com')
    const departments = (await admin.get('/api/v1/admin/departments')).body.items as {
      id: number
      name: string
    }[]
    support = departments.find((d) => d.name === 'Support')!.id
    billing = departments.find((d) => d.name === 'Billing')!.id
    const saved = await admin.request('PUT', '/api/v1/admin/ldap', {
      enabled: true,
      url: slapd.url,
      bindDn: LDAP_ROOT_DN,
      bindPassword: LDAP_ROOT_PASSWORD,
      searchBase: `ou=people,${LDAP_SUFFIX}`,
      searchFilter: '(&(objectClass=inetOrgPerson)(employeeType=staff))',
      groupSearchBase: `ou=groups,${LDAP_SUFFIX}`,
      groupMappings: [
        { group: 'support-agents', departmentId: support, role: 'expanded_access' },
        { group: `cn=billing-leads,ou=groups,${LDAP_SUFFIX}`, departmentId: billing, role: 'all_access' },
      ],
    })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
  })
  afterAll(async () => {
    await t?.close()
    await slapd?.close()
  })

  const login = (email: string, password: string) => anon.post('/api/v1/auth/login', { email, password })
  const departmentsOf = async (token: string) =>
    ((await new Client(t.url, token).get('/api/v1/auth/me')).body.departments as { id: number }[]).map(
      (d) => d.id,
    )

  it('keeps the service password to itself and can test the connection', async () => {
    const got = await admin.get('/api/v1/admin/ldap')
    expect(got.body.settings).toMatchObject({ enabled: true, hasBindPassword: true, emailAttribute: 'mail' })
    expect(JSON.stringify(got.body)).not.toContain(LDAP_ROOT_PASSWORD)
    expect((await admin.post('/api/v1/admin/ldap/test')).body).toMatchObject({ ok: true })
    const audit = await t.app.db.read
      .selectFrom('events')
      .select('after')
      .where('type', '=', 'admin.ldap.updated')
      .execute()
    expect(JSON.stringify(audit)).not.toContain(LDAP_ROOT_PASSWORD)
  })

  it('signs a directory person in, creating the agent with the departments of their groups', async () => {
    const res = await login('dana@dir.example', 'dana-directory-password')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.user).toMatchObject({ email: 'dana@dir.example', name: 'Dana Scully', type: 'agent' })
    expect(await departmentsOf(res.body.token)).toEqual([support])
    const fox = await login('FOX@dir.example', 'fox-directory-password')
    expect(fox.status).toBe(200)
    expect(await departmentsOf(fox.body.token)).toEqual([billing])
  })

  it('answers a wrong directory password exactly as a wrong local one', async () => {
    const directory = await login('dana@dir.example', 'not-her-password')
    const local = await login('john@example.com', 'not-his-password')
    expect(directory.status).toBe(401)
    expect(directory.body).toEqual(local.body)
    expect(directory.body.error.code).toBe('invalid_credentials')
  })

  it('refuses people outside the search filter, and unknown addresses', async () => {
    expect((await login('walter@dir.example', 'walter-directory-password')).body.error.code).toBe(
      'invalid_credentials',
    )
    expect((await login('nobody@dir.example', 'whatever')).status).toBe(401)
    // A filter injection in the address finds nobody.
    expect((await login('*)(uid=*@dir.example', 'dana-directory-password')).status).toBe(401)
  })

  it('applies the group mapping again at every sign-in', async () => {
    slapd.modify(`dn: cn=billing-leads,ou=groups,${LDAP_SUFFIX}
changetype: modify
add: member
member: uid=dana,ou=people,${LDAP_SUFFIX}

dn: cn=support-agents,ou=groups,${LDAP_SUFFIX}
changetype: modify
delete: member
member: uid=dana,ou=people,${LDAP_SUFFIX}
`)
    const res = await login('dana@dir.example', 'dana-directory-password')
    expect(res.status).toBe(200)
    expect(await departmentsOf(res.body.token)).toEqual([billing])
  })

  it('keeps local passwords working for agents the directory does not know', async () => {
    expect((await login('john@example.com', 'demo-password')).status).toBe(200)
  })

  it('checks an LDAP-backed agent only against the directory', async () => {
    // A password set locally for dana (as an admin might by mistake) does not open her account.
    const { hashPassword } = await import('../src/commands/auth.ts')
    await t.app.db.writer
      .updateTable('users')
      .set({ password_hash: await hashPassword('a-local-password') })
      .where('email', '=', 'dana@dir.example')
      .execute()
    expect((await login('dana@dir.example', 'a-local-password')).status).toBe(401)
    expect((await login('dana@dir.example', 'dana-directory-password')).status).toBe(200)
  })
})
