// Sessions and accounts: new session per sign-in, sign-out and password change end sessions and tokens,
// throttling with Retry-After, password reset links, TOTP two-factor with recovery codes, personal access
// tokens, and CSRF on every state-changing cookie request. On every database.
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../src/commands/auth.ts'
import { Client } from './support/client.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const MINUTE = 60_000

describe.each(DATABASES)('sessions and accounts on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let offset = 0
  const clock = { now: () => Date.now() + offset }
  beforeAll(async () => {
    t = await startServer(kind, { clock })
    anon = new Client(t.url)
  })
  afterAll(() => t.close())

  /** Signs in and returns the cookie header and CSRF token of a browser session. */
  async function browserSession(email: string, password = 'demo-password') {
    const res = await anon.post('/api/v1/auth/login', { email, password })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    return { cookie, csrf: res.body.csrfToken as string, token: res.body.token as string }
  }

  it('gives every sign-in a new session, and signing out ends that one only', async () => {
    const one = await anon.as('sam@example.com')
    const two = await anon.as('sam@example.com')
    expect(one.token).not.toBe(two.token)
    expect((await one.get('/api/v1/auth/me')).status).toBe(200)
    expect((await two.get('/api/v1/auth/me')).status).toBe(200)
    // Only a hash of the token is stored.
    const stored = await t.app.db.read.selectFrom('sessions').select('token_hash').execute()
    expect(stored.map((s) => s.token_hash)).toContain(sha256(one.token!))
    expect(JSON.stringify(stored)).not.toContain(one.token)

    expect((await one.post('/api/v1/auth/logout')).status).toBe(204)
    expect((await one.get('/api/v1/auth/me')).status).toBe(401)
    expect((await two.get('/api/v1/auth/me')).status).toBe(200)
    expect((await two.post('/api/v1/auth/logout-everywhere')).status).toBe(204)
    expect((await two.get('/api/v1/auth/me')).status).toBe(401)
  })

  it('changes the password only with the current one, ending every other session and token', async () => {
    const john = await anon.as('john@example.com')
    const other = await anon.as('john@example.com')
    const pat = (
      await john.post('/api/v1/auth/tokens', {
        currentPassword: 'demo-password',
        name: 'ci',
        scopes: ['read'],
      })
    ).body.token
    const patClient = new Client(t.url, pat)
    expect((await patClient.get('/api/v1/auth/me')).status).toBe(200)

    const wrong = await john.post('/api/v1/auth/password', {
      currentPassword: 'not-it',
      newPassword: 'correct horse battery',
    })
    expect(wrong.status).toBe(403)
    expect(wrong.body.error.code).toBe('wrong_password')
    const short = await john.post('/api/v1/auth/password', {
      currentPassword: 'demo-password',
      newPassword: 'short',
    })
    expect(short.status).toBe(400)

    const changed = await john.post('/api/v1/auth/password', {
      currentPassword: 'demo-password',
      newPassword: 'correct horse battery',
    })
    expect(changed.status).toBe(204)
    expect((await john.get('/api/v1/auth/me')).status).toBe(200)
    expect((await other.get('/api/v1/auth/me')).status).toBe(401)
    expect((await patClient.get('/api/v1/auth/me')).status).toBe(401)
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'john@example.com', password: 'demo-password' }))
        .status,
    ).toBe(401)
    const again = await anon.as('john@example.com', 'correct horse battery')
    // A token cannot change the password.
    const pat2 = (
      await again.post('/api/v1/auth/tokens', {
        currentPassword: 'correct horse battery',
        name: 'x',
        scopes: ['read', 'write'],
      })
    ).body.token
    const byToken = await new Client(t.url, pat2).post('/api/v1/auth/password', {
      currentPassword: 'correct horse battery',
      newPassword: 'demo-password',
    })
    expect(byToken.status).toBe(403)
    expect(
      (
        await again.post('/api/v1/auth/password', {
          currentPassword: 'correct horse battery',
          newPassword: 'demo-password',
        })
      ).status,
    ).toBe(204)
  })

  it('throttles sign-in per account and per IP with 429 and Retry-After, and lets go after the window', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await anon.post('/api/v1/auth/login', { email: 'lena@example.com', password: `wrong-${i}` })
      expect(res.status).toBe(401)
    }
    const locked = await anon.post('/api/v1/auth/login', {
      email: 'lena@example.com',
      password: 'demo-password',
    })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(locked.body.error.code).toBe('too_many_attempts')
    // Another account from the same IP is not locked by Lena's failures…
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'ken@example.com', password: 'demo-password' })).status,
    ).toBe(200)
    // …but many failures across accounts lock the IP.
    let ipLocked
    for (let i = 0; i < 40 && !ipLocked; i++) {
      const res = await anon.post('/api/v1/auth/login', { email: `spray-${i}@example.com`, password: 'x' })
      if (res.status === 429) ipLocked = res
    }
    expect(ipLocked?.headers.get('retry-after')).toBeTruthy()
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'ken@example.com', password: 'demo-password' })).status,
    ).toBe(429)
    offset += 16 * MINUTE
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'lena@example.com', password: 'demo-password' }))
        .status,
    ).toBe(200)
  })

  it('records sign-ins and failed sign-ins with IP and user agent, and never a password', async () => {
    await anon.request(
      'POST',
      '/api/v1/auth/login',
      { email: 'sam@example.com', password: 'secret-guess-123' },
      { 'user-agent': 'audit-probe/1.0' },
    )
    await anon.request(
      'POST',
      '/api/v1/auth/login',
      { email: 'sam@example.com', password: 'demo-password' },
      { 'user-agent': 'audit-probe/1.0' },
    )
    const admin = await anon.as('admin@example.com')
    const failed = await admin.get('/api/v1/admin/audit?type=auth.login_failed&limit=1')
    expect(failed.body.items[0]).toMatchObject({
      type: 'auth.login_failed',
      ip: '127.0.0.1',
      userAgent: 'audit-probe/1.0',
      actor: { name: 'Sam Roe' },
    })
    const ok = await admin.get('/api/v1/admin/audit?type=auth.*&limit=50')
    expect(ok.body.items.some((e: any) => e.type === 'auth.login' && e.userAgent === 'audit-probe/1.0')).toBe(
      true,
    )
    // Concurrent changes each carry their own request's user agent, even when committed in one group.
    const ken = await anon.as('ken@example.com')
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ken.request(
          'POST',
          '/api/v1/tickets',
          { subject: `UA ${i}`, message: 'm' },
          { 'user-agent': `agent-${i}` },
        ),
      ),
    )
    for (const [i, res] of made.entries()) {
      const row = await t.app.db.read
        .selectFrom('events as e')
        .innerJoin('tickets as tk', 'tk.id', 'e.ticket_id')
        .select(['e.user_agent', 'e.ip'])
        .where('tk.number', '=', res.body.ticket.number)
        .where('e.type', '=', 'ticket.created')
        .executeTakeFirstOrThrow()
      expect(row).toEqual({ user_agent: `agent-${i}`, ip: '127.0.0.1' })
    }
    const all = await t.app.db.read.selectFrom('events').selectAll().execute()
    expect(JSON.stringify(all)).not.toMatch(/secret-guess-123|demo-password|correct horse/)
    // Keyset pagination: pages do not overlap and go back in time.
    const page1 = await admin.get('/api/v1/admin/audit?limit=3')
    const page2 = await admin.get(`/api/v1/admin/audit?limit=3&cursor=${page1.body.nextCursor}`)
    expect(page2.body.items[0].id).toBeLessThan(page1.body.items[2].id)
    const sam = (await admin.get('/api/v1/agents?q=sam')).body.items[0]
    const bySam = await admin.get(`/api/v1/admin/audit?actorId=${sam.id}`)
    expect(bySam.body.items.every((e: any) => e.actor?.id === sam.id)).toBe(true)
  })

  it('resets a password by a single-use link that expires, answering alike for unknown addresses', async () => {
    const known = await anon.post('/api/v1/auth/password-reset', { email: 'ken@example.com' })
    const unknown = await anon.post('/api/v1/auth/password-reset', { email: 'nobody@example.com' })
    const invalid = await anon.post('/api/v1/auth/password-reset', { email: 'not an email' })
    expect(known.status).toBe(202)
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body])
    expect([invalid.status, invalid.body]).toEqual([known.status, known.body])

    // No SMTP_URL here: the mail is kept in Mail preview, the one message for the one known address.
    await t.settle()
    const rows = await t.app.db.read
      .selectFrom('mail_previews')
      .selectAll()
      .where('kind', '=', 'password_reset')
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ to_address: 'ken@example.com', to_name: 'Ken Adams' })
    const token = /#token=([\w-]+)/.exec(rows[0]!.text_body)![1]!
    const stored = await t.app.db.read.selectFrom('password_resets').selectAll().execute()
    expect(stored.map((r) => r.token_hash)).toEqual([sha256(token)])
    expect(stored[0]!.expires_at - stored[0]!.created_at).toBeLessThanOrEqual(60 * MINUTE)

    const kenSession = await anon.as('ken@example.com')
    const reset = await anon.post('/api/v1/auth/password-reset/confirm', {
      token,
      newPassword: 'ken-new-password',
    })
    expect(reset.status).toBe(204)
    expect((await kenSession.get('/api/v1/auth/me')).status).toBe(401)
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'ken@example.com', password: 'ken-new-password' }))
        .status,
    ).toBe(200)
    const reused = await anon.post('/api/v1/auth/password-reset/confirm', {
      token,
      newPassword: 'ken-other-password',
    })
    expect(reused.status).toBe(400)
    expect(reused.body.error.code).toBe('invalid_reset_token')

    // A second link expires after at most an hour.
    await anon.post('/api/v1/auth/password-reset', { email: 'ken@example.com' })
    await t.settle()
    const latest = await t.app.db.read
      .selectFrom('mail_previews')
      .select('text_body')
      .where('kind', '=', 'password_reset')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const token2 = /#token=([\w-]+)/.exec(latest.text_body)![1]!
    offset += 61 * MINUTE
    const expired = await anon.post('/api/v1/auth/password-reset/confirm', {
      token: token2,
      newPassword: 'ken-other-password',
    })
    expect(expired.status).toBe(400)
  })

  it('signs agents in with TOTP and recovery codes, refuses replays, and lets admins require it', async () => {
    const jane = await anon.as('jane@example.com')
    const enrol = await jane.post('/api/v1/auth/two-factor/enrol', {})
    expect(enrol.status).toBe(200)
    expect(enrol.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//)
    const secret: string = enrol.body.secret
    const code = (at = clock.now()) => generate({ secret, epoch: Math.floor(at / 1000) })
    expect((await jane.post('/api/v1/auth/two-factor/confirm', { code: '000000' })).status).toBe(400)
    const confirmed = await jane.post('/api/v1/auth/two-factor/confirm', { code: await code() })
    expect(confirmed.status).toBe(200)
    const recovery: string[] = confirmed.body.recoveryCodes
    expect(recovery).toHaveLength(10)

    const first = await anon.post('/api/v1/auth/login', {
      email: 'jane@example.com',
      password: 'demo-password',
    })
    expect(first.body).toEqual({
      twoFactorRequired: true,
      challengeToken: expect.any(String),
      expiresAt: expect.any(String),
    })
    expect(first.headers.get('set-cookie')).toBeNull()
    // The challenge is not a session.
    expect((await new Client(t.url, first.body.challengeToken).get('/api/v1/auth/me')).status).toBe(401)
    const bad = await anon.post('/api/v1/auth/login/two-factor', {
      challengeToken: first.body.challengeToken,
      code: '123456',
    })
    expect(bad.status).toBe(401)
    offset += 31_000 // a step the confirm code did not use
    const good = await anon.post('/api/v1/auth/login/two-factor', {
      challengeToken: first.body.challengeToken,
      code: await code(),
    })
    expect(good.status).toBe(200)
    expect((await new Client(t.url, good.body.token).get('/api/v1/auth/me')).body.user.email).toBe(
      'jane@example.com',
    )
    // The same code again (same step) is a replay, and the used challenge is gone.
    const second = await anon.post('/api/v1/auth/login', {
      email: 'jane@example.com',
      password: 'demo-password',
    })
    const replay = await anon.post('/api/v1/auth/login/two-factor', {
      challengeToken: second.body.challengeToken,
      code: await code(),
    })
    expect(replay.status).toBe(401)
    const reusedChallenge = await anon.post('/api/v1/auth/login/two-factor', {
      challengeToken: first.body.challengeToken,
      code: recovery[0],
    })
    expect(reusedChallenge.status).toBe(401)
    // A recovery code works once.
    const byRecovery = await anon.post('/api/v1/auth/login/two-factor', {
      challengeToken: second.body.challengeToken,
      code: recovery[0]!.toUpperCase(),
    })
    expect(byRecovery.status).toBe(200)
    const third = await anon.post('/api/v1/auth/login', {
      email: 'jane@example.com',
      password: 'demo-password',
    })
    expect(
      (
        await anon.post('/api/v1/auth/login/two-factor', {
          challengeToken: third.body.challengeToken,
          code: recovery[0],
        })
      ).status,
    ).toBe(401)
    // The secret is never shown again.
    expect((await jane.post('/api/v1/auth/two-factor/enrol', {})).status).toBe(409)

    // Admins require it: an agent without it may only enrol (and see who they are, and sign out).
    const admin = await anon.as('admin@example.com')
    const sam = await anon.as('sam@example.com')
    const refused = await admin.request('PUT', '/api/v1/admin/security', { requireAgentTwoFactor: true })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'enrol_two_factor_first'])
    const adminSecret = (await admin.post('/api/v1/auth/two-factor/enrol', {})).body.secret
    const adminCode = await generate({ secret: adminSecret, epoch: Math.floor(clock.now() / 1000) })
    expect((await admin.post('/api/v1/auth/two-factor/confirm', { code: adminCode })).status).toBe(200)
    expect(
      (await admin.request('PUT', '/api/v1/admin/security', { requireAgentTwoFactor: true })).status,
    ).toBe(200)
    const blocked = await sam.get('/api/v1/tickets')
    expect(blocked.status).toBe(403)
    expect(blocked.body.error.code).toBe('two_factor_enrolment_required')
    expect((await sam.get('/api/v1/auth/me')).status).toBe(200)
    const samSecret = (await sam.post('/api/v1/auth/two-factor/enrol', {})).body.secret
    const samCode = await generate({ secret: samSecret, epoch: Math.floor(clock.now() / 1000) })
    expect((await sam.post('/api/v1/auth/two-factor/confirm', { code: samCode })).status).toBe(200)
    expect((await sam.get('/api/v1/tickets')).status).toBe(200)
    // Customers are not affected.
    expect((await (await anon.as('lena@example.com')).get('/api/v1/tickets')).status).toBe(200)
    expect(
      (await admin.request('PUT', '/api/v1/admin/security', { requireAgentTwoFactor: false })).status,
    ).toBe(200)
    const audit = await admin.get('/api/v1/admin/audit?type=settings.security_changed')
    expect(audit.body.items[0].after).toEqual({ requireAgentTwoFactor: false })
  })

  it('issues scoped, revocable personal access tokens to agents, stored hashed', async () => {
    const sam = await anon.as('lena@example.com')
    expect(
      (
        await sam.post('/api/v1/auth/tokens', {
          currentPassword: 'demo-password',
          name: 'x',
          scopes: ['read'],
        })
      ).status,
    ).toBe(403)
    const john = await anon.as('john@example.com')
    const made = await john.post('/api/v1/auth/tokens', {
      currentPassword: 'demo-password',
      name: 'reporting',
      scopes: ['read'],
      expiresInDays: 30,
    })
    expect(made.status).toBe(201)
    expect(made.body.token).toMatch(/^sbp_/)
    const stored = await t.app.db.read.selectFrom('access_tokens').selectAll().execute()
    expect(JSON.stringify(stored)).not.toContain(made.body.token)
    const reader = new Client(t.url, made.body.token)
    expect((await reader.get('/api/v1/tickets')).status).toBe(200)
    const write = await reader.post('/api/v1/tickets', {
      subject: 'x',
      message: 'y',
      requester: { email: 'ken@example.com' },
    })
    expect(write.status).toBe(403)
    expect(write.body.error.code).toBe('insufficient_scope')
    // Not an admin token, and tokens cannot make tokens.
    expect(
      (
        await reader.post('/api/v1/auth/tokens', {
          currentPassword: 'demo-password',
          name: 'y',
          scopes: ['read'],
        })
      ).status,
    ).toBe(403)
    const listed = await john.get('/api/v1/auth/tokens')
    expect(listed.body.items.find((i: any) => i.id === made.body.accessToken.id)).toMatchObject({
      name: 'reporting',
      scopes: ['read'],
    })
    expect(JSON.stringify(listed.body)).not.toContain(made.body.token)
    expect((await john.request('DELETE', `/api/v1/auth/tokens/${made.body.accessToken.id}`)).status).toBe(204)
    expect((await reader.get('/api/v1/tickets')).status).toBe(401)
    // An expired token is refused.
    const short = await john.post('/api/v1/auth/tokens', {
      currentPassword: 'demo-password',
      name: 'short',
      scopes: ['read'],
      expiresInDays: 1,
    })
    offset += 2 * 24 * 60 * MINUTE
    expect((await new Client(t.url, short.body.token).get('/api/v1/tickets')).status).toBe(401)
  })

  it('demands the CSRF token on every state-changing route called with a cookie', async () => {
    const { cookie, csrf } = await browserSession('lena@example.com')
    const unsafe = t.server.routeTable.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
    expect(unsafe.length).toBeGreaterThan(5)
    for (const route of unsafe) {
      const path = route.url.replace(':number', '100001').replace(':id', '1').replace('*', 'x')
      for (const headers of [{}, { 'x-csrf-token': 'forged' }] as Record<string, string>[]) {
        const res = await fetch(t.url + path, {
          method: route.method,
          headers: { cookie, 'content-type': 'application/json', origin: 'https://evil.example', ...headers },
          body: '{}',
        })
        expect([route.method, route.url, res.status, ((await res.json()) as any).error?.code]).toEqual([
          route.method,
          route.url,
          403,
          'csrf_failed',
        ])
      }
    }
    // With the token, a cookie session works; a GET needs none.
    const me = await fetch(t.url + '/api/v1/auth/me', { headers: { cookie } })
    expect(me.status).toBe(200)
    const ok = await fetch(t.url + '/api/v1/notifications/read', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: '{}',
    })
    expect(ok.status).toBe(200)
    // The cookie is HttpOnly and SameSite.
    const login = await anon.post('/api/v1/auth/login', {
      email: 'lena@example.com',
      password: 'demo-password',
    })
    expect(login.status, JSON.stringify(login.body)).toBe(200)
    expect(login.headers.get('set-cookie'), JSON.stringify(login.body)).toMatch(/HttpOnly/i)
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Lax/i)
  })
})
