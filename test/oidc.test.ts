// Single sign-on with OpenID Connect (issue 18) against a real provider (oidc-provider) on loopback: sign-in
// with PKCE, state and nonce; a wrong state or nonce refused; foreign domains refused; groups mapped to
// departments and roles at every sign-in; unknown people created as customers or refused, as set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeReturnTo } from '../src/commands/oidcSignIn.ts'
import { Client } from './support/client.ts'
import { browse, TestOidcProvider } from './support/oidcProvider.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

describe('where a sign-in returns to', () => {
  it('is a path on this site, never another site', () => {
    expect(safeReturnTo('/agent/tickets?q=1')).toBe('/agent/tickets?q=1')
    for (const away of [
      '//evil.example/',
      '/\\evil.example',
      'https://evil.example/',
      'agent',
      undefined,
      '',
    ])
      expect(safeReturnTo(away)).toBe('/')
  })
})

describe.each(DATABASES)('OpenID Connect sign-in on %s', (kind) => {
  let t: TestServer
  let admin: Client
  let providerId: number
  let support: number
  let billing: number
  const idp = new TestOidcProvider()
  const ours = () => new URL(t.url).origin
  const callbackPath = '/api/v1/auth/oidc/corp/callback'

  beforeAll(async () => {
    t = await startServer(kind)
    // The server listened on a free port; links and the redirect URI are built from the public address.
    t.app.config.mail.publicUrl = t.url
    await idp.start(`${t.url}${callbackPath}`)
    idp.accounts = {
      alice: { email: 'alice@corp.example', name: 'Alice Ward', groups: ['helpdesk-support'] },
      bob: { email: 'bob@corp.example', name: 'Bob Stone', groups: [] },
      mallory: { email: 'mallory@elsewhere.example', name: 'Mallory', groups: ['helpdesk-support'] },
      unverified: { email: 'una@corp.example', name: 'Una', email_verified: false },
    }
    admin = await new Client(t.url).as('admin@example.com')
    const departments = (await admin.get('/api/v1/admin/departments')).body.items as {
      id: number
      name: string
    }[]
    support = departments.find((d) => d.name === 'Support')!.id
    billing = departments.find((d) => d.name === 'Billing')!.id
    const created = await admin.post('/api/v1/admin/identity-providers', {
      slug: 'corp',
      name: 'Corp SSO',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      scopes: 'openid email profile groups',
      allowedDomains: ['corp.example'],
      groupMappings: [
        { group: 'helpdesk-support', departmentId: support, role: 'expanded_access' },
        { group: 'helpdesk-billing', departmentId: billing, role: 'all_access' },
      ],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    providerId = created.body.id
  })
  afterAll(async () => {
    await t?.close()
    await idp.stop()
  })

  const leavesForOurPages = (next: URL) =>
    next.origin === ours() && !next.pathname.startsWith('/api/v1/auth/oidc/')
  /** Signs in at the provider as `account`; returns where our callback sent the browser, and the jar. */
  async function signIn(account: string, jar = new Map<string, Map<string, string>>()) {
    idp.signInAs = account
    const end = await browse(`${t.url}/api/v1/auth/oidc/corp/start?returnTo=/agent`, jar, leavesForOurPages)
    return { location: end.location, session: jar.get(ours())?.get('sb_session'), jar }
  }
  /** The sign-in up to the provider's redirect back to our callback, not yet followed. */
  async function untilCallback(account: string) {
    idp.signInAs = account
    const jar = new Map<string, Map<string, string>>()
    const atProvider = await browse(
      `${t.url}/api/v1/auth/oidc/corp/start`,
      jar,
      (next) => next.pathname === callbackPath,
    )
    return { jar, callback: new URL(atProvider.location!, atProvider.url) }
  }
  const me = async (session: string) =>
    (await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie: `sb_session=${session}` } }).then((r) =>
      r.json(),
    )) as { user: { email: string; type: string; name: string }; departments: { id: number }[] }

  it('lists the provider for the sign-in page and never returns the client secret', async () => {
    const list = await new Client(t.url).get('/api/v1/auth/oidc/providers')
    expect(list.body.items).toEqual([
      { slug: 'corp', name: 'Corp SSO', forCustomers: false, startUrl: '/api/v1/auth/oidc/corp/start' },
    ])
    const one = await admin.get(`/api/v1/admin/identity-providers/${providerId}`)
    expect(one.body.hasClientSecret).toBe(true)
    expect(one.body.callbackUrl).toBe(`${t.url}${callbackPath}`)
    expect(JSON.stringify(one.body)).not.toContain(idp.clientSecret)
    const all = await admin.get('/api/v1/admin/identity-providers')
    expect(JSON.stringify(all.body)).not.toContain(idp.clientSecret)
  })

  it('signs a new person in a mapped group in as an agent of that department, with a password-like session', async () => {
    const { location, session } = await signIn('alice')
    expect(location).toBe('/agent')
    expect(session).toBeDefined()
    const who = await me(session!)
    expect(who.user).toMatchObject({ email: 'alice@corp.example', name: 'Alice Ward', type: 'agent' })
    expect(who.departments.map((d) => d.id)).toEqual([support])
    // The same session a password sign-in gives: it can sign out everywhere.
    const out = await fetch(`${t.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}` },
    })
    expect(out.status).toBe(204)
    expect(
      (await fetch(`${t.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session}` } })).status,
    ).toBe(401)
  })

  it('applies the group mapping again at every sign-in', async () => {
    idp.accounts.alice!.groups = ['helpdesk-billing']
    const { session } = await signIn('alice')
    const who = await me(session!)
    expect(who.departments.map((d) => d.id)).toEqual([billing])
    const perms = (await fetch(`${t.url}/api/v1/auth/me`, {
      headers: { cookie: `sb_session=${session}` },
    }).then((r) => r.json())) as { departments: { permissions: string[] }[] }
    // The role of the mapping: All Access in Billing, not the Expanded Access of the support mapping.
    const roles = (await admin.get('/api/v1/admin/roles')).body.items as {
      key: string
      permissions: string[]
    }[]
    const allAccess = roles.find((r) => r.key === 'all_access')!.permissions
    expect(perms.departments[0]!.permissions).toEqual([...allAccess].sort())
    idp.accounts.alice!.groups = ['helpdesk-support']
  })

  it('refuses an email domain that is not allowed', async () => {
    const { location, session } = await signIn('mallory')
    expect(location).toBe('/login?sso_error=email_domain_refused')
    expect(session).toBeUndefined()
    const failures = await t.app.db.read
      .selectFrom('events')
      .select('after')
      .where('type', '=', 'auth.sso_failed')
      .execute()
    expect(failures.map((f) => JSON.parse(f.after!).reason)).toContain('email_domain_refused')
  })

  it('refuses an address the provider has not verified', async () => {
    expect((await signIn('unverified')).location).toBe('/login?sso_error=sign_in_refused')
  })

  it('refuses an unknown person without a mapped group, or creates them as a customer, as set', async () => {
    expect((await signIn('bob')).location).toBe('/login?sso_error=sign_in_refused')
    const changed = await admin.patch(`/api/v1/admin/identity-providers/${providerId}`, {
      unknownPeople: 'customer',
      allowCustomers: true,
    })
    expect(changed.status).toBe(200)
    const { location, session } = await signIn('bob')
    expect(location).toBe('/agent')
    expect((await me(session!)).user).toMatchObject({ email: 'bob@corp.example', type: 'customer' })
    await admin.patch(`/api/v1/admin/identity-providers/${providerId}`, {
      unknownPeople: 'refuse',
      allowCustomers: false,
    })
    // Customers may no longer use it: bob, now known, is refused too.
    expect((await signIn('bob')).location).toBe('/login?sso_error=sign_in_refused')
  })

  it('refuses a callback whose state is not the one this browser started', async () => {
    // Run the dance up to the provider's redirect back, then present that callback from another browser.
    const { jar, callback } = await untilCallback('alice')
    const other = new Map<string, Map<string, string>>()
    expect((await browse(callback.href, other, leavesForOurPages)).location).toBe(
      '/login?sso_error=oidc_state_mismatch',
    )
    // A made-up state with a matching cookie is refused as well: it was never started.
    const forged = new URL(callback)
    forged.searchParams.set('state', 'made-up-state')
    const forgedJar = new Map([[ours(), new Map([['sb_oidc_state', 'made-up-state']])]])
    expect((await browse(forged.href, forgedJar, leavesForOurPages)).location).toBe(
      '/login?sso_error=oidc_state_mismatch',
    )
    // The real browser's callback still works once, and only once.
    expect((await browse(callback.href, jar, leavesForOurPages)).location).toBe('/')
    jar.get(ours())!.set('sb_oidc_state', callback.searchParams.get('state')!)
    expect((await browse(callback.href, jar, leavesForOurPages)).location).toBe(
      '/login?sso_error=oidc_state_mismatch',
    )
  })

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const { jar, callback } = await untilCallback('alice')
    // The provider put the nonce we sent into the ID token; we now expect another one.
    await t.app.db.writer.updateTable('oidc_sign_ins').set({ nonce: 'another-nonce' }).execute()
    const end = await browse(callback.href, jar, leavesForOurPages)
    expect(end.location).toBe('/login?sso_error=oidc_refused')
    expect(jar.get(ours())?.get('sb_session')).toBeUndefined()
  })

  it('answers 404 for a provider that does not exist or is disabled', async () => {
    expect((await new Client(t.url).get('/api/v1/auth/oidc/nope/start')).status).toBe(404)
    await admin.patch(`/api/v1/admin/identity-providers/${providerId}`, { enabled: false })
    expect((await new Client(t.url).get('/api/v1/auth/oidc/corp/start')).status).toBe(404)
    expect((await new Client(t.url).get('/api/v1/auth/oidc/providers')).body.items).toEqual([])
    await admin.patch(`/api/v1/admin/identity-providers/${providerId}`, { enabled: true })
  })

  it('validates provider settings', async () => {
    const bad = await admin.post('/api/v1/admin/identity-providers', {
      slug: 'bad',
      name: 'Bad',
      issuer: 'http://idp.example.com',
      clientId: 'x',
      clientSecret: 'y',
    })
    expect(bad.body.error.code).toBe('insecure_issuer')
    const dup = await admin.post('/api/v1/admin/identity-providers', {
      slug: 'corp',
      name: 'Again',
      issuer: idp.issuer,
      clientId: 'x',
      clientSecret: 'y',
    })
    expect(dup.status).toBe(409)
    const mapping = await admin.post('/api/v1/admin/identity-providers', {
      slug: 'other',
      name: 'Other',
      issuer: idp.issuer,
      clientId: 'x',
      clientSecret: 'y',
      groupMappings: [{ group: 'g', departmentId: support, role: 'no_such_role' }],
    })
    expect(mapping.body.error.code).toBe('unknown_role')
  })
})
