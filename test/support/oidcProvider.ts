// A real OpenID Connect provider for tests (the `oidc-provider` package, certified by the OpenID Foundation) on a
// loopback port. Its login and consent screens are replaced by one handler that signs in as `signInAs` and
// grants what was asked, so a test drives the whole redirect dance with plain HTTP requests.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

export interface TestAccount {
  email: string
  name: string
  groups?: string[]
  email_verified?: boolean
}

export class TestOidcProvider {
  readonly clientId = 'switchboard'
  readonly clientSecret = 'a-client-secret-for-tests-only'
  accounts: Record<string, TestAccount> = {}
  /** The account the next sign-in at the provider is made as. */
  signInAs = ''
  issuer = ''
  private server: Server | undefined

  async start(redirectUri: string): Promise<void> {
    this.server = createServer()
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      cookies: { keys: ['test-cookie-key'] },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name'],
        groups: ['groups'],
      },
      scopes: ['openid', 'email', 'profile', 'groups'],
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, sub) => {
        const account = this.accounts[sub]
        if (!account) return undefined
        return {
          accountId: sub,
          claims: () => ({ sub, email_verified: true, ...account }),
        }
      },
    })
    const handle = provider.callback()
    this.server.on('request', (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return void handle(req, res)
      void (async () => {
        const details = await provider.interactionDetails(req, res)
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: this.signInAs } })
          return
        }
        const accountId = details.session!.accountId
        const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) })
        const missing = details.prompt.details as {
          missingOIDCScope?: string[]
          missingOIDCClaims?: string[]
        }
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
        const grantId = await grant.save()
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        )
      })().catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
    })
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}

/**
 * Follows redirects as a browser would (cookies kept per origin) from `url` until an answer that is not a
 * redirect, or a redirect that leaves for `stopAt` (our own site after the callback). Returns that answer.
 */
export async function browse(
  url: string,
  jar: Map<string, Map<string, string>>,
  stopAt?: (next: URL) => boolean,
): Promise<{ url: URL; status: number; location: string | undefined; body: string }> {
  let current = new URL(url)
  for (let hop = 0; hop < 20; hop++) {
    const cookies = jar.get(current.origin) ?? new Map<string, string>()
    const res = await fetch(current, {
      redirect: 'manual',
      headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    })
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === ''
      if (expired) cookies.delete(name)
      else cookies.set(name, value)
    }
    jar.set(current.origin, cookies)
    const location = res.headers.get('location') ?? undefined
    const body = await res.text()
    if (res.status < 300 || res.status >= 400 || !location)
      return { url: current, status: res.status, location, body }
    const next = new URL(location, current)
    if (stopAt?.(next)) return { url: current, status: res.status, location, body }
    current = next
  }
  throw new Error('too many redirects')
}
