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

function started(session: Session): User {
  setCsrfToken(session.csrfToken)
  localStorage.setItem(HINT, '1')
  return session.user
}

export function useSignOut() {
  const client = useQueryClient()
  return async () => {
    try {
      await api('POST', '/api/v1/auth/logout')
    } finally {
      localStorage.removeItem(HINT)
      setCsrfToken(undefined)
      client.clear()
    }
  }
}

export function homeFor(user: User): string {
  return user.type === 'agent' ? '/agent/queues/open' : '/portal'
}
