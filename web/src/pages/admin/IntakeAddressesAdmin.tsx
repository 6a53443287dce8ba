// Email intake: the addresses we accept mail for, the department each feeds, and whose Authentication-Results
// each believes. A header is believed only under an authserv-id listed here, so list only your own receiving
// MTA, and only if it deletes such headers arriving from outside (docs/SECURITY.md).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { useAdminList, type AdminDepartment } from './adminApi.ts'
import type { ResponseOf } from '../../api/types.ts'

const BASE = '/api/v1/admin/intake-addresses'

type IntakeAddress = ResponseOf<'/api/v1/admin/intake-addresses'>['items'][number]

const idsOf = (text: string) => text.split(/[\s,]+/).filter((s) => s !== '')

export function IntakeAddressesAdmin() {
  const list = useAdminList<IntakeAddress>(BASE)
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const client = useQueryClient()
  const [editing, setEditing] = useState<string | null>(null)
  const [address, setAddress] = useState('')
  const [departmentId, setDepartmentId] = useState('')
  const [trusted, setTrusted] = useState('')
  const save = useMutation({
    mutationFn: (body: { address: string; departmentId: number; trustedAuthservIds: string[] }) =>
      api('PUT', `${BASE}/${encodeURIComponent(body.address)}`, {
        departmentId: body.departmentId,
        trustedAuthservIds: body.trustedAuthservIds,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })

  const edit = (a: IntakeAddress | null) => {
    setEditing(a?.address ?? null)
    setAddress(a?.address ?? '')
    setDepartmentId(a ? String(a.departmentId) : '')
    setTrusted(a?.trustedAuthservIds.join(', ') ?? '')
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(
      { address, departmentId: Number(departmentId), trustedAuthservIds: idsOf(trusted) },
      { onSuccess: () => edit(null) },
    )
  }
  const nameOf = (id: number) => departments.data?.items.find((d) => d.id === id)?.name ?? `#${id}`

  return (
    <section aria-labelledby="intake-title">
      <h2 id="intake-title">Email intake addresses</h2>
      <p className="muted">
        Mail to these addresses becomes tickets in their department. A sender’s From address proves nothing; a
        reply to our own mail does, and so does the SPF, DKIM or DMARC verdict of a receiving mail server you
        trust. Name that server by the authserv-id it writes first in its Authentication-Results header (for
        example <code>mx.example.com</code>), and only if it removes such headers from incoming mail.
      </p>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing}` : 'New intake address'}
      >
        <label className="field">
          <span>Address</span>
          <input
            required
            type="email"
            value={address}
            readOnly={editing !== null}
            onChange={(e) => setAddress(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Department</span>
          <select required value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">Choose…</option>
            {(departments.data?.items ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Trusted authserv-ids</span>
          <input
            value={trusted}
            placeholder="none: no Authentication-Results is believed"
            onChange={(e) => setTrusted(e.target.value)}
          />
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save address' : 'Add address'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading intake addresses" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Department</th>
                <th scope="col">Trusted authserv-ids</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.address}>
                  <td>{a.address}</td>
                  <td>{nameOf(a.departmentId)}</td>
                  <td>{a.trustedAuthservIds.length ? a.trustedAuthservIds.join(', ') : 'None'}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${a.address}`}
                      onClick={() => edit(a)}
                    >
                      Edit
                    </button>
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
