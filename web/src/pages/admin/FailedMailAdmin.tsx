// Inbound mail that could not be filed: read it raw, process it again, or discard it (kept, and undoable).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError, get } from '../../api.ts'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { ErrorBox, formatTime } from '../../ui.tsx'

interface FailedMail {
  id: number
  source: string
  sender: string | null
  envelopeTo: string | null
  error: string | null
  retryable: boolean
  attempts: number
  size: number
  receivedAt: string
}
const BASE = '/api/v1/admin/failed-mail'

/** The raw message as text: the API serves it as a download, so it is read here and shown, never rendered. */
async function rawText(id: number): Promise<string> {
  const res = await fetch(`${BASE}/${id}/raw`, { credentials: 'same-origin' })
  if (!res.ok) throw new ApiError(res.status, 'http_error', `The server answered ${res.status}.`, undefined)
  return res.text()
}

export function FailedMailAdmin() {
  const client = useQueryClient()
  const [raw, setRaw] = useState<{ id: number; text: string } | null>(null)
  const show = useMutation({ mutationFn: async (id: number) => setRaw({ id, text: await rawText(id) }) })
  const retry = useMutation({
    mutationFn: (id: number) =>
      api<{ status: string; ticketNumber?: string; error?: string }>('POST', `${BASE}/${id}/retry`, {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['admin', BASE] }),
  })
  const name = (m: FailedMail) => `message ${m.id}`
  return (
    <ResourcePage<FailedMail, Record<string, never>, unknown>
      title="Failed mail"
      singular="message"
      intro={
        <p className="muted">
          Mail that arrived but could not become a ticket. Fix the cause (an intake address, an agent’s
          account) and retry, or discard it: a discarded message is kept and can be brought back with Undo.
        </p>
      }
      load={{
        key: ['admin', BASE],
        fetch: ({ cursor }) =>
          get<{ items: FailedMail[]; nextCursor: string | null }>(
            cursor ? `${BASE}?cursor=${encodeURIComponent(cursor)}` : BASE,
          ),
      }}
      rowKey={(m) => m.id}
      rowName={name}
      searchText={(m) => `${m.sender ?? ''} ${m.envelopeTo ?? ''} ${m.error ?? ''}`}
      columns={[
        { header: 'Received', cell: (m) => formatTime(m.receivedAt) },
        { header: 'From', cell: (m) => m.sender ?? 'Unknown' },
        { header: 'To', cell: (m) => m.envelopeTo ?? '—' },
        { header: 'Source', cell: (m) => m.source },
        { header: 'Error', cell: (m) => m.error ?? '—' },
        { header: 'Attempts', cell: (m) => m.attempts },
      ]}
      remove={{
        run: (m) => api('POST', `${BASE}/${m.id}/discard`, {}),
        undo: (m) => api('POST', `${BASE}/${m.id}/restore`, {}),
        confirm: (m) => (
          <p>Message {m.id} leaves the failed-mail list. It is kept, and Undo brings it back.</p>
        ),
      }}
      actions={(m) => (
        <>
          <button
            type="button"
            className="secondary"
            aria-label={`View raw ${name(m)}`}
            onClick={() => show.mutate(m.id)}
          >
            View raw
          </button>
          {m.retryable && (
            <button
              type="button"
              className="secondary"
              aria-label={`Retry ${name(m)}`}
              disabled={retry.isPending}
              onClick={() => retry.mutate(m.id)}
            >
              Retry
            </button>
          )}
        </>
      )}
    >
      <div role="status" aria-live="polite">
        {retry.data &&
          (retry.data.ticketNumber ? (
            <p className="notice">Filed as ticket #{retry.data.ticketNumber}.</p>
          ) : (
            <p className="error">Failed again: {retry.data.error ?? retry.data.status}</p>
          ))}
      </div>
      {retry.isError && <ErrorBox error={retry.error} />}
      {show.isError && <ErrorBox error={show.error} />}
      {raw && (
        <section aria-labelledby="raw-title" className="card">
          <h3 id="raw-title">Raw message {raw.id}</h3>
          <pre className="raw-mail" tabIndex={0} aria-label={`Raw message ${raw.id}`}>
            {raw.text}
          </pre>
          <button type="button" className="secondary" onClick={() => setRaw(null)}>
            Close raw message
          </button>
        </section>
      )}
    </ResourcePage>
  )
}
