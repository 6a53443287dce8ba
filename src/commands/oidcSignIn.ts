// Single sign-on with OpenID Connect (issue 18): the authorization code flow with PKCE, a state bound to the
// browser (a cookie) and used once, a nonce, and the ID token verified by openid-client (signature against the
// provider's published keys, issuer, audience, expiry, nonce). The session that follows is the password
// sign-in's (startSession in auth.ts).
import * as oidc from 'openid-client'
import type { App } from '../app.ts'
import type { Origin } from '../domain/origin.ts'
import { AppError } from '../errors.ts'
import { oidcCallbackUrl } from '../presenters/identityProviderPresenter.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import {
  findProviderBySlug,
  insertOidcSignIn,
  listProviderRows,
  takeOidcSignIn,
  type ProviderRow,
} from '../repositories/identityRepo.ts'
import { sha256, startSession, type SessionGrant } from './auth.ts'
import { admitExternalPerson, signInRefused, type GroupMapping } from './externalSignIn.ts'

/** How long a person may take at the provider before the sign-in they started is forgotten. */
const SIGN_IN_TTL_MS = 10 * 60_000

const noSuchProvider = () => new AppError('not_found', 'not_found', 'No such sign-in provider.')
const stateMismatch = () =>
  new AppError(
    'bad_request',
    'oidc_state_mismatch',
    'This sign-in was not started in this browser, was already used or has expired. Start again.',
  )

// Discovery (the provider's metadata and keys) once per provider version, not at every sign-in.
const configurations = new Map<string, Promise<oidc.Configuration>>()

function configurationOf(p: ProviderRow): Promise<oidc.Configuration> {
  const key = `${p.id}:${p.updated_at}:${p.issuer}`
  let found = configurations.get(key)
  if (!found) {
    // An http:// issuer is only ever saved on a loopback address (admin/identityProviders.ts).
    const insecure = new URL(p.issuer).protocol === 'http:'
    found = oidc.discovery(
      new URL(p.issuer),
      p.client_id,
      p.client_secret,
      undefined,
      insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
    )
    configurations.set(key, found)
    found.catch(() => configurations.delete(key))
  }
  return found
}

/** A path on this site to land on after signing in; anything else (another site, `//host`) becomes `/`. */
export function safeReturnTo(raw: string | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/'
  return raw.slice(0, 500)
}

async function enabledProvider(app: App, slug: string): Promise<ProviderRow> {
  const p = await findProviderBySlug(app.db.read, slug)
  if (!p || p.enabled !== 1) throw noSuchProvider()
  return p
}

/** The providers the sign-in page offers. */
export async function listSignInProviders(app: App): Promise<ProviderRow[]> {
  return (await listProviderRows(app.db.read)).filter((p) => p.enabled === 1)
}

/** Where to send the browser, and the state to bind to it (a cookie the callback must bring back). */
export async function startOidcSignIn(
  app: App,
  slug: string,
  returnTo: string | undefined,
): Promise<{ redirectTo: string; state: string }> {
  const provider = await enabledProvider(app, slug)
  const config = await configurationOf(provider).catch(() => {
    throw new AppError('unavailable', 'oidc_provider_unreachable', `${provider.name} cannot be reached now.`)
  })
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const now = app.clock.now()
  await app.db.transact((trx) =>
    insertOidcSignIn(
      trx,
      {
        stateHash: sha256(state),
        providerId: provider.id,
        nonce,
        codeVerifier,
        returnTo: safeReturnTo(returnTo),
      },
      now,
      now + SIGN_IN_TTL_MS,
    ),
  )
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: oidcCallbackUrl(app.config.mail.publicUrl, provider.slug),
    scope: provider.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  })
  return { redirectTo: url.href, state }
}

const claimText = (v: unknown) => (typeof v === 'string' ? v : undefined)

function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim]
  if (typeof v === 'string') return [v]
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : []
}

/**
 * Finishes a sign-in at the callback: `query` is the callback's query string, `browserState` the state cookie.
 * Every refusal is recorded as `auth.sso_failed` and raised as an AppError with a stable code.
 */
export async function completeOidcSignIn(
  app: App,
  slug: string,
  query: string,
  browserState: string | undefined,
  origin: Origin,
): Promise<{ grant: SessionGrant; returnTo: string }> {
  let providerId: number | null = null
  try {
    const provider = await enabledProvider(app, slug)
    providerId = provider.id
    const callback = new URL(`${oidcCallbackUrl(app.config.mail.publicUrl, provider.slug)}?${query}`)
    const state = callback.searchParams.get('state')
    if (!state || !browserState || state !== browserState) throw stateMismatch()
    const pending = await app.db.transact((trx) => takeOidcSignIn(trx, sha256(state)))
    if (!pending || pending.provider_id !== provider.id || pending.expires_at <= app.clock.now())
      throw stateMismatch()
    const config = await configurationOf(provider)
    const tokens = await oidc
      .authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      .catch((e: unknown) => {
        throw new AppError(
          'forbidden',
          'oidc_refused',
          `The answer from ${provider.name} was refused: ${e instanceof Error ? e.message : String(e)}`,
        )
      })
    const idClaims = tokens.claims()!
    // Providers differ in what the ID token carries; the userinfo endpoint fills in the rest.
    const userinfo =
      config.serverMetadata().userinfo_endpoint && tokens.access_token
        ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => ({}))
        : {}
    const claims: Record<string, unknown> = { ...userinfo, ...idClaims }
    const email = claimText(claims.email)
    if (!email) throw signInRefused(`${provider.name} did not tell us your email address.`)
    if (claims.email_verified === false)
      throw signInRefused(`${provider.name} has not verified your email address.`)
    const domains = JSON.parse(provider.allowed_domains) as string[]
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase()
    if (domains.length > 0 && !domains.includes(domain))
      throw new AppError('forbidden', 'email_domain_refused', `Addresses at ${domain} cannot sign in here.`)
    const userId = await admitExternalPerson(
      app,
      {
        source: `oidc:${provider.id}`,
        subject: idClaims.sub,
        email,
        name: claimText(claims.name) ?? '',
        groups: groupsOf(claims, provider.groups_claim),
      },
      {
        mappings: JSON.parse(provider.group_mappings) as GroupMapping[],
        unknownPeople: provider.unknown_people,
        allowCustomers: provider.allow_customers === 1,
      },
      origin,
    )
    return { grant: await startSession(app, userId, origin), returnTo: pending.return_to }
  } catch (error) {
    // A callback for a provider that does not exist is noise anyone can make; it is not an attempt to record.
    if (error instanceof AppError && providerId !== null)
      await recordSsoFailure(app, providerId, error.code, origin)
    throw error
  }
}

async function recordSsoFailure(app: App, providerId: number, reason: string, origin: Origin) {
  await app.db.transact((trx) =>
    insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: null,
          type: 'auth.sso_failed',
          channel: 'web',
          after: { providerId, reason },
          at: app.clock.now(),
        },
      ],
      origin,
    ),
  )
}
