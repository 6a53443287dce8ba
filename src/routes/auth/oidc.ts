// Single sign-on with OpenID Connect (issue 18): the providers the sign-in page offers, the redirect to one,
// and the callback that starts the same session as a password sign-in (commands/oidcSignIn.ts).
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { completeOidcSignIn, listSignInProviders, startOidcSignIn } from '../../commands/oidcSignIn.ts'
import { AppError } from '../../errors.ts'
import { presentPublicProvider, PublicProviderOut } from '../../presenters/identityProviderPresenter.ts'
import { ErrorOut, originOf, SESSION_COOKIE } from '../http.ts'

/** Carries the state from the start to the callback in the same browser (login CSRF, RFC 6749 §10.12). */
const STATE_COOKIE = 'sb_oidc_state'
const COOKIE_PATH = '/api/v1/auth/oidc'
const SlugParams = z.object({ provider: z.string().max(40) })
const tags = ['auth']

export function oidcRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  const cookieBase = {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  }

  r.get(
    '/api/v1/auth/oidc/providers',
    {
      config: { policy: 'public' },
      schema: {
        tags,
        summary: 'The single sign-on providers the sign-in page offers',
        response: { 200: z.object({ items: z.array(PublicProviderOut) }) },
      },
    },
    async () => ({ items: (await listSignInProviders(app)).map(presentPublicProvider) }),
  )

  r.get(
    '/api/v1/auth/oidc/:provider/start',
    {
      config: { policy: 'public' },
      schema: {
        tags,
        summary: 'Sign in with a single sign-on provider: redirects there',
        description:
          'Answers 302 to the provider (authorization code flow with PKCE, state and nonce) and sets a short-lived ' +
          'cookie that the callback checks. `returnTo` is a path on this site to land on afterwards.',
        params: SlugParams,
        querystring: z.object({ returnTo: z.string().max(500).optional() }),
        response: { 302: z.null(), 404: ErrorOut, 503: ErrorOut },
      },
    },
    async (req, reply) => {
      const { redirectTo, state } = await startOidcSignIn(app, req.params.provider, req.query.returnTo)
      void reply.setCookie(STATE_COOKIE, state, { ...cookieBase, maxAge: 600 })
      return reply.redirect(redirectTo, 302)
    },
  )

  r.get(
    '/api/v1/auth/oidc/:provider/callback',
    {
      config: { policy: 'public' },
      schema: {
        tags,
        summary: 'Where the provider sends the browser back',
        description:
          'Checks the state (against the cookie, once), exchanges the code with the PKCE verifier, verifies the ID ' +
          'token and its nonce, applies the allowed domains and group mappings, then sets the session cookie and ' +
          'answers 302 to the page asked for. A refusal answers 302 to `/login?sso_error=<code>` ' +
          '(`oidc_state_mismatch`, `oidc_refused`, `email_domain_refused`, `sign_in_refused`, `not_found`).',
        params: SlugParams,
        response: { 302: z.null() },
      },
    },
    async (req, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''
      void reply.clearCookie(STATE_COOKIE, { path: COOKIE_PATH })
      try {
        const { grant, returnTo } = await completeOidcSignIn(
          app,
          req.params.provider,
          query,
          req.cookies[STATE_COOKIE],
          originOf(req),
        )
        void reply.setCookie(SESSION_COOKIE, grant.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.secureCookies,
          expires: new Date(grant.expiresAt),
        })
        return reply.redirect(returnTo, 302)
      } catch (error) {
        if (!(error instanceof AppError)) throw error
        return reply.redirect(`/login?sso_error=${encodeURIComponent(error.code)}`, 302)
      }
    },
  )
}
