import { useInfiniteQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { get } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import { useAdminList, useAdminSave, type AdminCustomer, type AdminOrganization } from './adminApi.ts'

const BASE = '/api/v1/admin/customers'

interface Form {
  name: string
  email: string
  password: string
  organizationId: string
}
const EMPTY: Form = { name: '', email: '', password: '', organizationId: '' }

export function CustomersAdmin() {
  const [q, setQ] = useState('')
  const [search, setSearch] = useState('')
  const list = useInfiniteQuery({
    queryKey: ['admin', BASE, search],
    queryFn: ({ pageParam }) =>
      get<{ items: AdminCustomer[]; nextCursor: string | null }>(
        `${BASE}?q=${encodeURIComponent(search)}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const organizations = useAdminList<AdminOrganization>('/api/v1/admin/organizations')
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminCustomer | null>(null)
  const [form, setForm] = useState<Form>(EMPTY)
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }))

  const edit = (c: AdminCustomer | null) => {
    setEditing(c)
    setForm(
      c
        ? {
            name: c.name,
            email: c.email,
            password: '',
            organizationId: c.organizationId ? String(c.organizationId) : '',
          }
        : EMPTY,
    )
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body: Record<string, unknown> = {
      name: form.name,
      email: form.email,
    }
    if (form.password) body.password = form.password
    if (form.organizationId !== '') body.organizationId = Number(form.organizationId)
    else if (editing) body.organizationId = null
    save.mutate({ id: editing?.id, body }, { onSuccess: () => edit(null) })
  }
  const customers = list.data?.pages.flatMap((p) => p.items) ?? []

  return (
    <section aria-labelledby="customers-title">
      <h2 id="customers-title">Customers</h2>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.name}` : 'New customer'}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={120} value={form.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label className="field">
          <span>Email</span>
          <input required type="email" value={form.email} onChange={(e) => set({ email: e.target.value })} />
        </label>
        <label className="field">
          <span>Password (optional)</span>
          <input
            type="password"
            autoComplete="new-password"
            minLength={8}
            value={form.password}
            onChange={(e) => set({ password: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Organisation</span>
          <select value={form.organizationId} onChange={(e) => set({ organizationId: e.target.value })}>
            <option value="">None</option>
            {organizations.data?.items
              .filter((o) => o.isActive)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save customer' : 'Create customer'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      <form
        role="search"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          setSearch(q.trim())
        }}
      >
        <label className="field">
          <span>Find customers</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <div className="field">
          <button type="submit" className="secondary">
            Search
          </button>
        </div>
      </form>
      {list.isPending && <Loading what="Loading customers" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Organisation</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => (
                <tr key={c.id} className={c.isActive ? '' : 'disabled-row'}>
                  <td>{c.name}</td>
                  <td>{c.email}</td>
                  <td>{c.organizationName ?? '—'}</td>
                  <ActiveCell active={c.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${c.name}`}
                      onClick={() => edit(c)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${c.isActive ? 'Disable' : 'Enable'} ${c.name}`}
                      onClick={() => save.mutate({ id: c.id, body: { isActive: !c.isActive } })}
                    >
                      {c.isActive ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            Load more customers
          </button>
        </p>
      )}
    </section>
  )
}
