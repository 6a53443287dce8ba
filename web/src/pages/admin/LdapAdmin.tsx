// LDAP / Active Directory sign-in (issue 18): where the directory is, how people are found, and which groups
// give which departments. The service account's password is write-only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { api, get } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { GroupMappingsField, type GroupMapping } from './GroupMappingsField.tsx'

const BASE = '/api/v1/admin/ldap'

interface Settings {
  enabled: boolean
  url: string
  startTls: boolean
  caCertificate: string
  bindDn: string
  bindPassword: string
  searchBase: string
  searchFilter: string
  emailAttribute: string
  nameAttribute: string
  groupSearchBase: string
  groupFilter: string
  groupMappings: GroupMapping[]
}

const DEFAULTS: Settings = {
  enabled: false,
  url: 'ldaps://ldap.example.com:636',
  startTls: false,
  caCertificate: '',
  bindDn: '',
  bindPassword: '',
  searchBase: '',
  searchFilter: '(objectClass=person)',
  emailAttribute: 'mail',
  nameAttribute: 'cn',
  groupSearchBase: '',
  groupFilter: '(|(member={dn})(uniqueMember={dn}))',
  groupMappings: [],
}

type TextKey = Exclude<keyof Settings, 'enabled' | 'startTls' | 'groupMappings'>
const FIELDS: [TextKey, string, string?][] = [
  ['url', 'Directory URL', 'ldap://host:389 or ldaps://host:636'],
  ['bindDn', 'Service account DN (empty: anonymous search)'],
  ['searchBase', 'Search base', 'ou=people,dc=example,dc=com'],
  ['searchFilter', 'Who may sign in (filter)'],
  ['emailAttribute', 'Email attribute'],
  ['nameAttribute', 'Name attribute'],
  ['groupSearchBase', 'Group search base (empty: memberOf only)'],
  ['groupFilter', 'Group filter ({dn} is the person)'],
]

export function LdapAdmin() {
  const client = useQueryClient()
  const current = useQuery({
    queryKey: ['admin', BASE],
    queryFn: () =>
      get<{ settings: (Omit<Settings, 'bindPassword'> & { hasBindPassword: boolean }) | null }>(BASE),
  })
  const [form, setForm] = useState<Settings>(DEFAULTS)
  const [hasPassword, setHasPassword] = useState(false)
  useEffect(() => {
    const s = current.data?.settings
    if (s) {
      const { hasBindPassword, ...rest } = s
      setForm({ ...rest, bindPassword: '' })
      setHasPassword(hasBindPassword)
    }
  }, [current.data])
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api('PUT', BASE, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', BASE] }),
  })
  const test = useMutation({
    mutationFn: () => api<{ ok: boolean; message: string }>('POST', `${BASE}/test`),
  })
  const put = (patch: Partial<Settings>) => setForm((f) => ({ ...f, ...patch }))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const { bindPassword, ...rest } = form
    save.mutate(bindPassword ? { ...rest, bindPassword } : rest)
  }

  if (current.isPending) return <Loading what="Loading LDAP settings" />
  if (current.isError) return <ErrorBox error={current.error} retry={() => void current.refetch()} />
  return (
    <section aria-labelledby="ldap-title">
      <h2 id="ldap-title">LDAP / Active Directory</h2>
      <p className="muted">
        Agents sign in on the usual form with their directory password. The first sign-in creates the agent
        (or links the one with that address); group mappings set departments and roles at every sign-in.
      </p>
      <form className="card inline-form" onSubmit={submit} aria-label="LDAP settings">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => put({ enabled: e.target.checked })}
          />
          Agents sign in with the directory
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.startTls}
            onChange={(e) => put({ startTls: e.target.checked })}
          />
          Upgrade ldap:// with StartTLS
        </label>
        {FIELDS.map(([key, label, placeholder]) => (
          <label key={key} className="field">
            <span>{label}</span>
            <input
              required={key === 'url' || key === 'searchBase' || key === 'searchFilter'}
              placeholder={placeholder}
              value={form[key]}
              onChange={(e) => put({ [key]: e.target.value })}
            />
          </label>
        ))}
        <label className="field">
          <span>{hasPassword ? 'New service password (leave empty to keep)' : 'Service password'}</span>
          <input
            type="password"
            autoComplete="new-password"
            value={form.bindPassword}
            onChange={(e) => put({ bindPassword: e.target.value })}
          />
        </label>
        <label className="field wide">
          <span>CA certificate (PEM, when the directory&apos;s is not publicly trusted)</span>
          <textarea
            rows={3}
            value={form.caCertificate}
            onChange={(e) => put({ caCertificate: e.target.value })}
          />
        </label>
        <GroupMappingsField
          value={form.groupMappings}
          onChange={(groupMappings) => put({ groupMappings })}
          hint="A group by its name (cn) or its DN. The mapped departments are set from the groups at every sign-in; other memberships stay as set here."
        />
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            Save LDAP settings
          </button>
          <button
            type="button"
            className="secondary"
            disabled={test.isPending || !current.data?.settings}
            onClick={() => test.mutate()}
          >
            Test the saved settings
          </button>
        </div>
      </form>
      {save.isSuccess && <p role="status">Saved.</p>}
      {save.isError && <ErrorBox error={save.error} />}
      {test.data && (
        <p role="status" className={test.data.ok ? undefined : 'error'}>
          {test.data.ok ? 'Works: ' : 'Does not work: '}
          {test.data.message}
        </p>
      )}
      {test.isError && <ErrorBox error={test.error} />}
    </section>
  )
}
