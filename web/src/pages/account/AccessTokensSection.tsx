// Personal access tokens (agents): for scripts and integrations, sent as `Authorization: Bearer sbp_…`. Made
// with the current password, shown once, listed with when each was last used, revoked here.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get } from '../../api.ts'
import { ErrorBox, Field, formatTime, Loading } from '../../ui.tsx'
import { ColumnHeads, CurrentPassword, Problem, useSubmit } from './parts.tsx'

type Scope = 'read' | 'write' | 'admin'
interface AccessToken {
  id: number
  name: string
  prefix: string
  scopes: Scope[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
}

const SCOPES: { key: Scope; label: string }[] = [
  { key: 'read', label: 'Read (GET requests)' },
  { key: 'write', label: 'Write (changes)' },
  { key: 'admin', label: 'Admin (admin routes; admins only)' },
]
const EXPIRY = [
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
  ['', 'Never'],
] as const

export function AccessTokensSection({ isAdmin }: { isAdmin: boolean }) {
  const client = useQueryClient()
  const tokens = useQuery({
    queryKey: ['me', 'tokens'],
    queryFn: () => get<{ items: AccessToken[] }>('/api/v1/auth/tokens'),
  })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>(['read'])
  const [expiry, setExpiry] = useState<string>('90')
  const [currentPassword, setCurrent] = useState('')
  const [made, setMade] = useState<{ name: string; token: string }>()
  const create = useSubmit()
  const revoke = useSubmit()
  const submit = (e: FormEvent) =>
    create.run(e, async () => {
      const res = await api<{ token: string; accessToken: AccessToken }>('POST', '/api/v1/auth/tokens', {
        name,
        scopes,
        currentPassword,
        ...(expiry ? { expiresInDays: Number(expiry) } : {}),
      })
      setMade({ name: res.accessToken.name, token: res.token })
      setName('')
      setCurrent('')
      await client.invalidateQueries({ queryKey: ['me', 'tokens'] })
    })
  const revokeToken = (t: AccessToken) =>
    revoke.run(undefined, async () => {
      await api('DELETE', `/api/v1/auth/tokens/${t.id}`)
      if (made && t.prefix && made.token.startsWith(t.prefix)) setMade(undefined)
      await client.invalidateQueries({ queryKey: ['me', 'tokens'] })
    })
  const toggle = (scope: Scope, on: boolean) =>
    setScopes((s) => (on ? [...new Set([...s, scope])] : s.filter((x) => x !== scope)))

  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="muted">
        For scripts and integrations: send one as <code>Authorization: Bearer …</code>. A token acts as you,
        within its scopes, until it expires or you revoke it; changing your password revokes them all.
      </p>
      {made && (
        <div className="notice" role="status">
          <p>
            Your new token <strong>{made.name}</strong>. Copy it now: it is shown only this once.
          </p>
          <p>
            <code aria-label="New access token" className="secret">
              {made.token}
            </code>
          </p>
        </div>
      )}
      <Problem error={revoke.error} />
      {tokens.isPending ? (
        <Loading what="Loading your tokens" />
      ) : tokens.isError ? (
        <ErrorBox error={tokens.error} retry={() => void tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <p>You have no access tokens.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="My access tokens">
            <ColumnHeads names={['Name', 'Starts with', 'Scopes', 'Made', 'Expires', 'Last used']} />
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{t.expiresAt ? formatTime(t.expiresAt) : 'Never'}</td>
                  <td>{t.lastUsedAt ? formatTime(t.lastUsedAt) : 'Not yet'}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      disabled={revoke.busy}
                      aria-label={`Revoke ${t.name}`}
                      onClick={() => void revokeToken(t)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form aria-labelledby="new-token-title" onSubmit={(e) => void submit(e)}>
        <h3 id="new-token-title">Make a token</h3>
        <Problem error={create.error} />
        <Field label="Token name">
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.filter((s) => s.key !== 'admin' || isAdmin).map((s) => (
            <label key={s.key} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(s.key)}
                onChange={(e) => toggle(s.key, e.target.checked)}
              />{' '}
              {s.label}
            </label>
          ))}
        </fieldset>
        <Field label="Expires after">
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <CurrentPassword value={currentPassword} onChange={setCurrent} />
        <button type="submit" disabled={create.busy || scopes.length === 0}>
          Make token
        </button>
      </form>
    </section>
  )
}
