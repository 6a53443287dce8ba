// The agent's signature (issue 11): added under their public replies, after which the signatures of the
// departments they work in follow (admins set those on the department).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { api, get } from '../../api.ts'
import { CharCounter, counterShown } from '../../formErrors.tsx'
import { ErrorBox, Loading } from '../../ui.tsx'
import type { ResponseOf } from '../../api/types.ts'

export type Signatures = ResponseOf<'/api/v1/me/signature'>
const MAX = 2000

export function useSignatures() {
  return useQuery({ queryKey: ['signature'], queryFn: () => get<Signatures>('/api/v1/me/signature') })
}

export function SignaturePage() {
  const client = useQueryClient()
  const current = useSignatures()
  const [draft, setDraft] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    document.title = 'Signature · Switchboard'
  }, [])
  const save = useMutation({
    mutationFn: (signature: string) => api<Signatures>('PUT', '/api/v1/me/signature', { signature }),
    onSuccess: (data) => {
      client.setQueryData(['signature'], data)
      setDraft(null)
      setSaved(true)
    },
  })
  if (current.isPending) return <Loading what="Loading your signature" />
  if (current.isError) return <ErrorBox error={current.error} retry={() => void current.refetch()} />
  const value = draft ?? current.data.signature ?? ''
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (value.length <= MAX) save.mutate(value)
  }
  return (
    <main className="page narrow" aria-labelledby="signature-title">
      <h1 id="signature-title">Signature</h1>
      <p className="muted">
        Added under each public reply you send, never under internal notes. Untick{' '}
        <strong>Add my signature</strong> in the composer to leave it out once.
      </p>
      <form className="card" onSubmit={submit}>
        {save.isError && <ErrorBox error={save.error} />}
        {saved && !save.isPending && (
          <p className="notice" role="status">
            Signature saved.
          </p>
        )}
        <label className="field">
          <span>My signature</span>
          <textarea
            rows={5}
            value={value}
            aria-describedby={counterShown(value.length, MAX) ? 'signature-counter' : undefined}
            onChange={(e) => {
              setDraft(e.target.value)
              setSaved(false)
            }}
          />
          <CharCounter id="signature-counter" length={value.length} max={MAX} />
        </label>
        <button type="submit" disabled={save.isPending || value.length > MAX}>
          Save signature
        </button>
      </form>
      {current.data.departments.length > 0 && (
        <section className="card" aria-labelledby="department-signatures">
          <h2 id="department-signatures">Department signatures</h2>
          <p className="muted">Added after yours on replies in these departments (set by admins).</p>
          <dl className="side-facts">
            {current.data.departments.map((d) => (
              <div key={d.id}>
                <dt>{d.name}</dt>
                <dd className="body">{d.signature}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </main>
  )
}
