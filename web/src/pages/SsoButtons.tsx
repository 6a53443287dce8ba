// The single sign-on buttons under the password form (issue 18), and why the last SSO attempt was refused
// (the callback sends the browser back to /login?sso_error=<code>).
import { useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router'
import { get } from '../api.ts'

interface SignInProvider {
  slug: string
  name: string
  forCustomers: boolean
  startUrl: string
}

const SSO_ERRORS: Record<string, string> = {
  email_domain_refused: 'Access denied: addresses at that domain cannot sign in here.',
  sign_in_refused: 'Access denied: there is no account here for you, or it cannot sign in this way.',
  oidc_state_mismatch: 'That sign-in expired or was started in another browser. Try again.',
  oidc_refused: 'The answer from the sign-in provider could not be verified. Try again.',
  not_found: 'That sign-in provider is not available.',
}

export function SsoButtons({ returnTo }: { returnTo: string | undefined }) {
  const [params] = useSearchParams()
  const failed = params.get('sso_error')
  const providers = useQuery({
    queryKey: ['sso-providers'],
    queryFn: () => get<{ items: SignInProvider[] }>('/api/v1/auth/oidc/providers'),
  })
  const items = providers.data?.items ?? []
  const query = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''
  return (
    <>
      {failed && (
        <p className="error" role="alert">
          {SSO_ERRORS[failed] ?? 'Single sign-on did not work. Try again.'}
        </p>
      )}
      {items.length > 0 && (
        <div className="sso" role="group" aria-label="Single sign-on">
          <p className="muted">or</p>
          {items.map((p) => (
            <a key={p.slug} className="button secondary" href={`${p.startUrl}${query}`}>
              Sign in with {p.name}
            </a>
          ))}
        </div>
      )}
    </>
  )
}
