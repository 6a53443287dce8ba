// Which alert emails an agent gets (GET/PUT /api/v1/me/mail-alerts). Each box saves as it changes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'

const ALERTS = [
  ['new_ticket', 'A new ticket arrives in one of my departments'],
  ['assigned', 'A ticket is assigned to me'],
  ['new_message', 'A customer writes on a ticket assigned to me'],
  ['note_followed', 'Someone adds an internal note to a ticket I follow'],
] as const
type Alert = (typeof ALERTS)[number][0]
type Alerts = Record<Alert, boolean>

export function MailAlertsSection() {
  const client = useQueryClient()
  const alerts = useQuery({
    queryKey: ['me', 'mail-alerts'],
    queryFn: () => get<Alerts>('/api/v1/me/mail-alerts'),
  })
  // What the boxes show: the person's change at once (React state, set in the click's own event), then the
  // server's answer. A failure puts back what the server holds.
  const [shown, setShown] = useState<Alerts | null>(null)
  const save = useMutation({
    mutationFn: (change: Partial<Alerts>) => api('PUT', '/api/v1/me/mail-alerts', change),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['me', 'mail-alerts'] })
      setShown(null)
    },
  })
  const change = (c: Partial<Alerts>) => {
    if (!alerts.data) return
    setShown({ ...(shown ?? alerts.data), ...c })
    save.mutate(c)
  }
  return (
    <section className="card" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Email alerts</h2>
      {alerts.isPending ? (
        <Loading what="Loading your alerts" />
      ) : alerts.isError ? (
        <ErrorBox error={alerts.error} retry={() => void alerts.refetch()} />
      ) : (
        <fieldset disabled={save.isPending}>
          <legend>Email me when</legend>
          {save.isError && <ErrorBox error={save.error} />}
          {ALERTS.map(([key, label]) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                checked={(shown ?? alerts.data)[key]}
                onChange={(e) => change({ [key]: e.target.checked })}
              />{' '}
              {label}
            </label>
          ))}
          {save.isSuccess && (
            <p className="notice" role="status">
              Saved.
            </p>
          )}
        </fieldset>
      )}
    </section>
  )
}
