// Deflection (issue 17): while a customer types a new ticket's subject, the best matching articles are offered.
// The form's visit is a session of the beacon: suggestions shown, an article opened, and then either the ticket
// submitted or the form left without it (a deflection). Mounted by NewTicket with one line.
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { get } from '../../api.ts'
import { articlePath, endDeflectionSession, sendDeflection, type KbArticleSummary } from '../../kb.ts'
import { Highlighted } from '../help/HelpCenter.tsx'

const DELAY_MS = 300

/** Call `markSubmitted` when the ticket has been created; leaving otherwise is recorded on unmount. */
export function useDeflection(): { markSubmitted: () => void; shown: () => void } {
  const state = useRef({ shown: false, submitted: false })
  useEffect(() => {
    const leave = () => {
      if (state.current.shown && !state.current.submitted) sendDeflection('left')
    }
    window.addEventListener('pagehide', leave)
    return () => {
      window.removeEventListener('pagehide', leave)
      leave()
    }
  }, [])
  return {
    shown: () => {
      if (state.current.shown) return
      state.current.shown = true
      sendDeflection('shown')
    },
    markSubmitted: () => {
      state.current.submitted = true
      if (state.current.shown) sendDeflection('submitted')
      endDeflectionSession()
    },
  }
}

export function KbSuggestions({ subject, onShown }: { subject: string; onShown: () => void }) {
  const [q, setQ] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => setQ(subject.trim()), DELAY_MS)
    return () => clearTimeout(timer)
  }, [subject])
  const suggest = useQuery({
    queryKey: ['kb-suggest', q],
    queryFn: () =>
      get<{ items: KbArticleSummary[] }>(`/api/v1/kb/suggest?q=${encodeURIComponent(q)}&limit=5`),
    enabled: q.length >= 3,
    staleTime: 60_000,
  })
  const items = q.length >= 3 ? (suggest.data?.items ?? []) : []
  useEffect(() => {
    if (items.length > 0) onShown()
  }, [items.length, onShown])
  if (items.length === 0) return null
  return (
    <section className="kb-suggestions" aria-label="Articles that may answer your question">
      <h2>These articles may answer your question</h2>
      <ul>
        {items.map((a) => (
          <li key={a.id}>
            <Link to={articlePath(a.slug)} onClick={() => sendDeflection('opened', a.id)}>
              {a.title}
            </Link>
            {a.snippet && (
              <p className="muted">
                <Highlighted parts={a.snippet} />
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
