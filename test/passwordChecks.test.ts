// Issue 9, findings 5 and 10, and "enabling 2FA leaves other sessions open": every check of a current password
// or a second factor goes through the sign-in throttle; turning two-factor sign-in off needs a code as well as
// the password; turning it on ends every other way into the account; and a stranger's wrong passwords cannot
// lock the owner out of an address the owner has signed in from before. On every database.
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addressKey } from '../src/commands/loginThrottle.ts'
import { Client } from './support/client.ts'
import { FixedClock } from './support/fixedClock.ts'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

const MINUTE = 60_000
const PASSWORD = 'demo-password'

describe.each(DATABASES)('password checks and lockout on %s', (kind) => {
  let t: TestServer
  let anon: Client
  const clock = new FixedClock(Date.parse('2026-12-01T09:00:00Z'))
  beforeAll(async () => {
    // Behind a proxy (TRUST_PROXY=on), so each request can come from the address its X-Forwarded-For names.
    t = await startServer(kind, { clock, config: { trustProxy: true } })
    anon = new Client(t.url)
  })
  afterAll(() => t.close())

  const from = (ip: string) => ({ 'x-forwarded-for': ip })
  const signIn = (email: string, password: string, ip: string) =>
    anon.post('/api/v1/auth/login', { email, password }, from(ip))
  async function session(email: string, ip: string): Promise<Client> {
    const res = await signIn(email, PASSWORD, ip)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return new Client(t.url, res.body.token)
  }
  /** Turns two-factor sign-in on for the client's account and returns a code generator and recovery codes. */
  async function enableTwoFactor(agent: Client) {
    const secret: string = (await agent.post('/api/v1/auth/two-factor/enrol', {})).body.secret
    const code = () => generate({ secret, epoch: Math.floor(clock.now() / 1000) })
    const confirmed = await agent.post('/api/v1/auth/two-factor/confirm', { code: await code() })
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200)
    return { code, recovery: confirmed.body.recoveryCodes as string[] }
  }

  it('throttles wrong passwords on two-factor disable, and needs a current code besides', async () => {
    const ip = '198.51.100.5'
    const john = await session('john@example.com', ip)
    const { code } = await enableTwoFactor(john)
    // The attack as reported: 12 wrong guesses with a signed-in session, then the right password.
    const answers = []
    for (let i = 0; i < 12; i++) {
      const res = await john.post(
        '/api/v1/auth/two-factor/disable',
        { currentPassword: `guess-${i}`, code: await code() },
        from(ip),
      )
      answers.push(res.status)
      if (res.status === 429) {
        expect(res.body.error.code).toBe('too_many_attempts')
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      }
    }
    expect(answers).toEqual([403, 403, 403, 403, 403, 429, 429, 429, 429, 429, 429, 429])
    clock.advance(31_000)
    const right = await john.post(
      '/api/v1/auth/two-factor/disable',
      { currentPassword: PASSWORD, code: await code() },
      from(ip),
    )
    expect(right.status).toBe(429)
    // The guesses also count against signing in to the account from that address.
    expect((await signIn('john@example.com', PASSWORD, ip)).status).toBe(429)
    expect((await john.get('/api/v1/auth/me')).status).toBe(200)

    clock.advance(16 * MINUTE)
    // The password alone no longer turns the second factor off: a code is required, and checked.
    const noCode = await john.post('/api/v1/auth/two-factor/disable', { currentPassword: PASSWORD }, from(ip))
    expect([noCode.status, noCode.body.error.code]).toEqual([400, 'validation_failed'])
    const wrongCode = await john.post(
      '/api/v1/auth/two-factor/disable',
      { currentPassword: PASSWORD, code: '000000' },
      from(ip),
    )
    expect([wrongCode.status, wrongCode.body.error.code]).toEqual([403, 'invalid_two_factor'])
    const usedRecovery = await john.post(
      '/api/v1/auth/two-factor/disable',
      { currentPassword: PASSWORD, code: 'aaaaa-bbbbb-ccccc-ddddd' },
      from(ip),
    )
    expect(usedRecovery.status).toBe(403)
    const off = await john.post(
      '/api/v1/auth/two-factor/disable',
      { currentPassword: PASSWORD, code: await code() },
      from(ip),
    )
    expect(off.status, JSON.stringify(off.body)).toBe(204)
    const user = await t.app.db.read
      .selectFrom('users')
      .select(['totp_enabled', 'totp_secret'])
      .where('email', '=', 'john@example.com')
      .executeTakeFirstOrThrow()
    expect(user).toEqual({ totp_enabled: 0, totp_secret: null })
    // A recovery code works instead of the app's code.
    const again = await enableTwoFactor(john)
    clock.advance(31_000)
    expect(
      (
        await john.post(
          '/api/v1/auth/two-factor/disable',
          { currentPassword: PASSWORD, code: again.recovery[3] },
          from(ip),
        )
      ).status,
    ).toBe(204)
    // Every failed check is in the audit log; no typed password is.
    const failed = await t.app.db.read
      .selectFrom('events')
      .select(['after', 'ip'])
      .where('type', '=', 'auth.login_failed')
      .execute()
    expect(failed.filter((e) => e.after?.includes('current_password'))).toHaveLength(5)
    expect(JSON.stringify(failed)).not.toMatch(/guess-/)
    clock.advance(16 * MINUTE)
  })

  it('counts wrong passwords on every command that asks for one in the same throttle', async () => {
    const ip = '198.51.100.6'
    const sam = await session('sam@example.com', ip)
    // Making an access token needs the password now: a token outlives signing out.
    const bare = await sam.post('/api/v1/auth/tokens', { name: 'ci', scopes: ['read'] }, from(ip))
    expect(bare.status).toBe(400)
    const made = await sam.post(
      '/api/v1/auth/tokens',
      { name: 'ci', scopes: ['read'], currentPassword: PASSWORD },
      from(ip),
    )
    expect(made.status).toBe(201)
    const wrong = [
      () => sam.post('/api/v1/auth/tokens', { name: 'x', scopes: ['read'], currentPassword: 'a' }, from(ip)),
      () => sam.post('/api/v1/auth/tokens', { name: 'x', scopes: ['read'], currentPassword: 'b' }, from(ip)),
      () =>
        sam.post(
          '/api/v1/auth/password',
          { currentPassword: 'c', newPassword: 'a-long-new-password' },
          from(ip),
        ),
      () => sam.post('/api/v1/auth/two-factor/disable', { currentPassword: 'd', code: '123456' }, from(ip)),
      () =>
        sam.post(
          '/api/v1/auth/password',
          { currentPassword: 'e', newPassword: 'a-long-new-password' },
          from(ip),
        ),
    ]
    for (const attempt of wrong) {
      const res = await attempt()
      expect([res.status, res.body.error.code]).toEqual([403, 'wrong_password'])
    }
    for (const res of [
      await sam.post(
        '/api/v1/auth/tokens',
        { name: 'y', scopes: ['read'], currentPassword: PASSWORD },
        from(ip),
      ),
      await sam.post(
        '/api/v1/auth/password',
        { currentPassword: PASSWORD, newPassword: 'a-long-new-password' },
        from(ip),
      ),
      await signIn('sam@example.com', PASSWORD, ip),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([429, 'too_many_attempts'])
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    // Concurrent guesses cannot slip under the limit while their hashes are computed.
    clock.advance(16 * MINUTE)
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sam.post(
          '/api/v1/auth/password',
          { currentPassword: `burst-${i}`, newPassword: 'a-long-new-password' },
          from(ip),
        ),
      ),
    )
    expect(burst.filter((r) => r.status === 403)).toHaveLength(5)
    expect(burst.filter((r) => r.status === 429)).toHaveLength(7)
    clock.advance(16 * MINUTE)
  })

  it('ends every other session, token and link when two-factor sign-in is turned on, keeping this one', async () => {
    const ip = '198.51.100.7'
    const jane = await session('jane@example.com', ip)
    const laptop = await session('jane@example.com', '203.0.113.40')
    const token = (
      await jane.post(
        '/api/v1/auth/tokens',
        { name: 'script', scopes: ['read'], currentPassword: PASSWORD },
        from(ip),
      )
    ).body.token as string
    const script = new Client(t.url, token)
    await anon.post('/api/v1/auth/password-reset', { email: 'jane@example.com' }, from(ip))
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(200)
    expect((await script.get('/api/v1/auth/me')).status).toBe(200)

    await enableTwoFactor(jane)
    expect((await jane.get('/api/v1/auth/me')).status).toBe(200)
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(401)
    expect((await script.get('/api/v1/auth/me')).status).toBe(401)
    const openResets = await t.app.db.read
      .selectFrom('password_resets as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select('r.token_hash')
      .where('u.email', '=', 'jane@example.com')
      .where('r.used_at', 'is', null)
      .execute()
    expect(openResets).toEqual([])
  })

  it('never locks the owner out of an address they signed in from, while the attacker stays throttled', async () => {
    const attacker = '192.0.2.66'
    const home = '203.0.113.10'
    // Ken signed in from home once; nobody has signed in as Ken from the attacker's address.
    await session('ken@example.com', home)
    for (let round = 0; round < 6; round++) {
      // The attack as reported: five wrong passwords every 15 minutes, here for an hour and a half.
      for (let i = 0; i < 5; i++) {
        const res = await signIn('ken@example.com', `wrong-${round}-${i}`, attacker)
        expect(res.status).toBe(401)
      }
      // The attacker is throttled, even with the right password…
      const locked = await signIn('ken@example.com', PASSWORD, attacker)
      expect([locked.status, locked.body.error.code]).toEqual([429, 'too_many_attempts'])
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
      // …and so is every address Ken has never signed in from (the per-account limit),
      const elsewhere = await signIn('ken@example.com', PASSWORD, `192.0.2.${100 + round}`)
      expect(elsewhere.status).toBe(429)
      // …but Ken at home signs in with the right password, every round.
      const owner = await signIn('ken@example.com', PASSWORD, home)
      expect(owner.status, `round ${round}: ${JSON.stringify(owner.body)}`).toBe(200)
      clock.advance(15 * MINUTE)
    }
    // Wrong passwords at home count at home: the owner's address is not a free pass either.
    for (let i = 0; i < 5; i++) expect((await signIn('ken@example.com', `typo-${i}`, home)).status).toBe(401)
    expect((await signIn('ken@example.com', PASSWORD, home)).status).toBe(429)
    clock.advance(16 * MINUTE)
    expect((await signIn('ken@example.com', PASSWORD, home)).status).toBe(200)
  })

  it('caps a guesser who spreads over many addresses at the per-account limit', async () => {
    await session('lena@example.com', '203.0.113.20')
    const answers = []
    for (let i = 0; i < 12; i++)
      answers.push((await signIn('lena@example.com', `spread-${i}`, `192.0.2.${i + 1}`)).status)
    expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429])
    expect((await signIn('lena@example.com', PASSWORD, '192.0.2.200')).status).toBe(429)
    expect((await signIn('lena@example.com', PASSWORD, '203.0.113.20')).status).toBe(200)
    clock.advance(16 * MINUTE)
  })

  it('knows an IPv6 client by its /64, as privacy addresses rotate within it', async () => {
    expect(addressKey('2001:db8:1:2::5')).toBe(addressKey('2001:db8:1:2:abcd:ef01:2345:6789'))
    expect(addressKey('2001:db8:1:3::5')).not.toBe(addressKey('2001:db8:1:2::5'))
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    await session('alex@example.com', '2001:db8:1:2::5')
    for (let i = 0; i < 5; i++) await signIn('alex@example.com', `v6-${i}`, '2001:db8:bad::1')
    expect((await signIn('alex@example.com', PASSWORD, '2001:db8:bad:0:ffff::2')).status).toBe(429)
    expect((await signIn('alex@example.com', PASSWORD, '2001:db8:1:2:abcd::9')).status).toBe(200)
    clock.advance(16 * MINUTE)
  })
})
