// Who is signed in. The session cookie is httpOnly, so the app cannot see it; a flag in localStorage says
// whether asking the server is worth it, so a signed-out visit does not start with a failing request.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, ApiError, setCsrfToken, type Me, type User } from './api.ts'

const HINT = 'switchboard.signedIn'

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      if (localStorage.getItem(HINT) !== '1') return null
      try {
        const me = await api<Me>('GET', '/api/v1/auth/me')
        setCsrfToken(me.csrfToken)
        return me
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          localStorage.removeItem(HINT)
          return null
        }
        throw error
      }
    },
    staleTime: Infinity,
  })
}

type Session = { csrfToken: string; user: User }
export type SignInResult = { user: User } | { challengeToken: string }

/** The password step. An agent with two-factor sign-in gets a challenge to answer with a code. */
export async function signIn(email: string, password: string): Promise<SignInResult> {
  const res = await api<Session | { twoFactorRequired: true; challengeToken: string }>(
    'POST',
    '/api/v1/auth/login',
    { email, password },
  )
  if ('twoFactorRequired' in res) return { challengeToken: res.challengeToken }
  return { user: started(res) }
}

/** The second step: a code from the authenticator app, or a recovery code. */
export async function signInWithCode(challengeToken: string, code: string): Promise<User> {
  return started(await api<Session>('POST', '/api/v1/auth/login/two-factor', { challengeToken, code }))
}

/**
 * The public pages outside the Shell have not asked who is signed in. A browser that still holds a session
 * cookie must send that session's CSRF token with any POST, public or not, so fetch it first.
 */
async function loadCsrfToken(): Promise<void> {
  if (localStorage.getItem(HINT) !== '1') return
  try {
    setCsrfToken((await api<Me>('GET', '/api/v1/auth/me')).csrfToken)
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error
    localStorage.removeItem(HINT)
  }
}

/** Asks for a sign-in link to a ticket by email and ticket number. The answer never says whether it matched. */
export async function requestTicketLink(email: string, number: string): Promise<string> {
  await loadCsrfToken()
  return (await api<{ message: string }>('POST', '/api/v1/auth/ticket-link', { email, number })).message
}

/** Asks for a password-reset link. The answer never says whether the address has an account. */
export async function requestPasswordReset(email: string): Promise<string> {
  await loadCsrfToken()
  return (await api<{ message: string }>('POST', '/api/v1/auth/password-reset', { email })).message
}

/** Sets a new password with the token of a reset link (every session of the account ends). */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  await loadCsrfToken()
  await api('POST', '/api/v1/auth/password-reset/confirm', { token, newPassword })
}

/** Signs in with the token of a ticket link; returns the ticket to open. */
export async function signInWithTicketLink(token: string): Promise<{ user: User; ticketNumber: string }> {
  await loadCsrfToken()
  const res = await api<Session & { ticketNumber: string }>('POST', '/api/v1/auth/ticket-link/redeem', {
    token,
  })
  return { user: started(res), ticketNumber: res.ticketNumber }
}

function started(session: Session): User {
  setCsrfToken(session.csrfToken)
  localStorage.setItem(HINT, '1')
  return session.user
}

/** Forgets the session in this browser (after the server ended it). */
export function useForgetSession() {
  const client = useQueryClient()
  return () => {
    localStorage.removeItem(HINT)
    setCsrfToken(undefined)
    // Signed out first: the Shell sends the visitor to sign-in and unmounts every signed-in page, so that
    // clearing the cache next does not make a mounted query ask the server again (and get a 401).
    client.setQueryData(['me'], null)
    setTimeout(() => client.clear(), 0)
  }
}

/** Sign out: ends this session only; the account's other browsers and devices stay signed in. */
export function useSignOut() {
  const forget = useForgetSession()
  return async () => {
    try {
      await api('POST', '/api/v1/auth/logout')
    } finally {
      forget()
    }
  }
}

/** Sign out everywhere: ends every session of the account, this one included. */
export function useSignOutEverywhere() {
  const forget = useForgetSession()
  return async () => {
    await api('POST', '/api/v1/auth/logout-everywhere')
    forget()
  }
}

export function homeFor(user: User): string {
  return user.type === 'agent' ? '/agent/queues/open' : '/portal'
}
