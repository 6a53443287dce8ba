// API keys (issue 18): for integrations, the osTicket-compatible API and Bearer calls. A key is shown once,
// when made; it has scopes, optional IP ranges and an expiry, and can be revoked.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'
import { useAdminList } from './adminApi.ts'
import { ConfirmAction } from './ConfirmAction.tsx'

const BASE = '/api/v1/admin/api-keys'

interface ApiKey {
  id: number
  name: string
  prefix: string
  scopes: string[]
  allowedIps: string[] | null
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
  expiresAt: string | null
}

/** The server's scopes (src/commands/apiKeys.ts), with what each allows. */
const SCOPES: [string, string][] = [
  ['tickets:create', 'Open tickets (osTicket API and POST /api/v1/tickets)'],
  ['tickets:read', 'Read tickets, queues, departments and statuses'],
  ['tickets:write', 'Change tickets: reply, note, update, tag'],
  ['users:read', 'Read agents, customers and organisations'],
  ['users:write', 'Create and change customers and organisations'],
  ['tasks:cron', 'Run the periodic sweeps (POST /api/tasks/cron)'],
]

export function ApiKeysAdmin() {
  const client = useQueryClient()
  const list = useAdminList<ApiKey>(BASE)
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ id: number; key: string }>('POST', BASE, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', BASE] }),
  })
  const revoke = useMutation({
    mutationFn: (id: number) => api('DELETE', `${BASE}/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', BASE] }),
  })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['tickets:create'])
  const [ranges, setRanges] = useState('')
  const [expires, setExpires] = useState('')
  const [shownKey, setShownKey] = useState<string | null>(null)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setShownKey(null)
    const allowedIps = ranges.split(/[\s,]+/).filter(Boolean)
    create.mutate(
      {
        name,
        scopes,
        ...(allowedIps.length ? { allowedIps } : {}),
        ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      },
      {
        onSuccess: (res) => {
          setShownKey(res.key)
          setName('')
          setRanges('')
          setExpires('')
        },
      },
    )
  }
  const flip = (scope: string, on: boolean) =>
    setScopes((now) => (on ? [...now, scope] : now.filter((s) => s !== scope)))
  const state = (k: ApiKey) =>
    k.revokedAt
      ? `Revoked ${formatTime(k.revokedAt)}`
      : k.expiresAt && Date.parse(k.expiresAt) <= Date.now()
        ? `Expired ${formatTime(k.expiresAt)}`
        : k.expiresAt
          ? `Active until ${formatTime(k.expiresAt)}`
          : 'Active'

  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">
        Send a key as <code>Authorization: Bearer sbk_…</code> (or <code>X-API-Key</code> on the osTicket
        API). A key acts as the admin who made it, within its scopes. See docs/integrations.md.
      </p>
      <form className="card inline-form" onSubmit={submit} aria-label="New API key">
        <label className="field">
          <span>Name</span>
          <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>Allowed IP addresses or ranges (empty: any)</span>
          <input
            placeholder="203.0.113.0/24, 2001:db8::/32"
            value={ranges}
            onChange={(e) => setRanges(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Expires (empty: never)</span>
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <fieldset className="field wide">
          <legend>Scopes</legend>
          {SCOPES.map(([scope, what]) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => flip(scope, e.target.checked)}
              />
              <code>{scope}</code> {what}
            </label>
          ))}
        </fieldset>
        <div className="actions field">
          <button type="submit" disabled={create.isPending || scopes.length === 0}>
            Create API key
          </button>
        </div>
      </form>
      {shownKey && (
        <div className="card" role="status">
          <p>
            The new key, shown only now: <code>{shownKey}</code>
          </p>
          <button type="button" className="secondary" onClick={() => setShownKey(null)}>
            I have stored it
          </button>
        </div>
      )}
      {create.isError && <ErrorBox error={create.error} />}
      {revoke.isError && <ErrorBox error={revoke.error} />}
      {list.isPending && <Loading what="Loading API keys" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">From</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((k) => (
                <tr key={k.id}>
                  <td>
                    {k.name}
                    <div className="muted">
                      <code>{k.prefix}…</code>
                    </div>
                  </td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{k.allowedIps?.join(', ') ?? 'Anywhere'}</td>
                  <td>{k.lastUsedAt ? formatTime(k.lastUsedAt) : 'Never'}</td>
                  <td>{state(k)}</td>
                  <td className="actions">
                    {!k.revokedAt && (
                      <ConfirmAction action="Revoke" subject={k.name} onConfirm={() => revoke.mutate(k.id)} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
