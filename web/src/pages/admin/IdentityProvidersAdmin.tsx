// Single sign-on (issue 18): OpenID Connect providers people sign in with. The client secret is write-only;
// the callback URL shown is the one to register at the provider.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import { useAdminList, useAdminSave } from './adminApi.ts'
import { ConfirmAction } from './ConfirmAction.tsx'
import { GroupMappingsField, type GroupMapping } from './GroupMappingsField.tsx'

const BASE = '/api/v1/admin/identity-providers'

interface Provider {
  id: number
  slug: string
  name: string
  issuer: string
  clientId: string
  hasClientSecret: boolean
  scopes: string
  allowedDomains: string[]
  unknownPeople: 'refuse' | 'customer'
  allowCustomers: boolean
  groupsClaim: string
  groupMappings: GroupMapping[]
  enabled: boolean
  callbackUrl: string
}

interface Form {
  name: string
  slug: string
  issuer: string
  clientId: string
  clientSecret: string
  scopes: string
  allowedDomains: string
  unknownPeople: 'refuse' | 'customer'
  allowCustomers: boolean
  groupsClaim: string
  groupMappings: GroupMapping[]
  enabled: boolean
}

const EMPTY: Form = {
  name: '',
  slug: '',
  issuer: '',
  clientId: '',
  clientSecret: '',
  scopes: 'openid email profile',
  allowedDomains: '',
  unknownPeople: 'refuse',
  allowCustomers: false,
  groupsClaim: 'groups',
  groupMappings: [],
  enabled: true,
}

export function IdentityProvidersAdmin() {
  const client = useQueryClient()
  const list = useAdminList<Provider>(BASE)
  const save = useAdminSave(BASE)
  const toggle = useMutation({
    mutationFn: (p: Provider) => api('PATCH', `${BASE}/${p.id}`, { enabled: !p.enabled }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `${BASE}/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
  const [editing, setEditing] = useState<Provider | null>(null)
  const [form, setForm] = useState<Form>(EMPTY)
  const put = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }))

  const edit = (p: Provider | null) => {
    setEditing(p)
    setForm(p ? { ...p, clientSecret: '', allowedDomains: p.allowedDomains.join(', ') } : EMPTY)
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const { clientSecret, allowedDomains, ...rest } = form
    const body: Record<string, unknown> = {
      ...rest,
      allowedDomains: allowedDomains.split(/[\s,]+/).filter(Boolean),
    }
    if (clientSecret) body.clientSecret = clientSecret
    save.mutate({ id: editing?.id, body }, { onSuccess: () => edit(null) })
  }

  return (
    <section aria-labelledby="sso-title">
      <h2 id="sso-title">Single sign-on</h2>
      <p className="muted">
        OpenID Connect providers (Microsoft Entra ID, Google Workspace, Okta, Keycloak…). Register the
        callback URL shown in the list as the provider&apos;s redirect URI. See docs/integrations.md.
      </p>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit provider ${editing.name}` : 'New provider'}
      >
        <label className="field">
          <span>Name on the button</span>
          <input required maxLength={80} value={form.name} onChange={(e) => put({ name: e.target.value })} />
        </label>
        <label className="field">
          <span>Slug (in the URLs)</span>
          <input
            required
            pattern="[a-z0-9][a-z0-9\-]{0,39}"
            value={form.slug}
            onChange={(e) => put({ slug: e.target.value })}
          />
        </label>
        <label className="field wide">
          <span>Issuer URL</span>
          <input
            required
            type="url"
            placeholder="https://login.example.com/realms/staff"
            value={form.issuer}
            onChange={(e) => put({ issuer: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Client ID</span>
          <input required value={form.clientId} onChange={(e) => put({ clientId: e.target.value })} />
        </label>
        <label className="field">
          <span>{editing ? 'New client secret (leave empty to keep)' : 'Client secret'}</span>
          <input
            type="password"
            autoComplete="new-password"
            required={!editing}
            value={form.clientSecret}
            onChange={(e) => put({ clientSecret: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Scopes</span>
          <input required value={form.scopes} onChange={(e) => put({ scopes: e.target.value })} />
        </label>
        <label className="field">
          <span>Allowed email domains (empty: any)</span>
          <input
            placeholder="example.com, example.org"
            value={form.allowedDomains}
            onChange={(e) => put({ allowedDomains: e.target.value })}
          />
        </label>
        <label className="field">
          <span>People without an account</span>
          <select
            value={form.unknownPeople}
            onChange={(e) => put({ unknownPeople: e.target.value as Form['unknownPeople'] })}
          >
            <option value="refuse">Refuse them</option>
            <option value="customer">Create them as customers</option>
          </select>
        </label>
        <label className="field">
          <span>Groups claim</span>
          <input required value={form.groupsClaim} onChange={(e) => put({ groupsClaim: e.target.value })} />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.allowCustomers}
            onChange={(e) => put({ allowCustomers: e.target.checked })}
          />
          Customers may sign in with it too
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => put({ enabled: e.target.checked })}
          />
          Enabled
        </label>
        <GroupMappingsField
          value={form.groupMappings}
          onChange={(groupMappings) => put({ groupMappings })}
          hint="A person in the group is an agent with this role in this department, set again at every sign-in. A new person in a mapped group is created as an agent."
        />
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save provider' : 'Add provider'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {(toggle.isError || remove.isError) && <ErrorBox error={toggle.error ?? remove.error} />}
      {list.isPending && <Loading what="Loading providers" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Callback URL</th>
                <th scope="col">Who</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    <div className="muted">{p.issuer}</div>
                  </td>
                  <td>
                    <code>{p.callbackUrl}</code>
                  </td>
                  <td>
                    {p.allowCustomers ? 'Agents and customers' : 'Agents'}
                    {p.allowedDomains.length > 0 && (
                      <div className="muted">{p.allowedDomains.join(', ')}</div>
                    )}
                  </td>
                  <ActiveCell active={p.enabled} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => edit(p)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${p.enabled ? 'Disable' : 'Enable'} ${p.name}`}
                      onClick={() => toggle.mutate(p)}
                    >
                      {p.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <ConfirmAction action="Delete" subject={p.name} onConfirm={() => remove.mutate(p.id)} />
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
