// "Insert article" for the agent composer (issue 17): search published articles the customer may read and put
// a link to one (or its text) into the reply. A separate component, mounted by the composer with one line.
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { get } from '../../api.ts'
import { articlePath, type KbArticle, type KbArticleSummary } from '../../kb.ts'
import { ErrorBox } from '../../ui.tsx'

export function InsertArticle({ onInsert }: { onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [q, setQ] = useState('')
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250)
    return () => clearTimeout(timer)
  }, [typed])
  const results = useQuery({
    queryKey: ['kb-insert', q],
    queryFn: () =>
      get<{ items: KbArticleSummary[] }>(
        `/api/v1/kb/articles?status=published&limit=8&q=${encodeURIComponent(q)}`,
      ),
    enabled: open && q.length >= 2,
  })
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Insert article
      </button>
    )
  // Internal articles are for agents: a reply links only to what the customer can open.
  const items = (results.data?.items ?? []).filter((a) => a.visibility !== 'internal')
  return (
    <div className="kb-insert" role="group" aria-label="Insert article">
      <label className="field">
        <span>Find an article to link</span>
        <input
          type="search"
          autoFocus
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false)
          }}
        />
      </label>
      {items.length > 0 && (
        <ul>
          {items.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onInsert(`${a.title}: ${window.location.origin}${articlePath(a.slug)}`)
                  setOpen(false)
                  setTyped('')
                }}
              >
                {a.title}
              </button>{' '}
              <button
                type="button"
                className="link"
                aria-label={`Insert the text of ${a.title}`}
                onClick={() => {
                  setError(null)
                  get<{ article: KbArticle }>(`/api/v1/kb/articles/${a.id}`)
                    .then(({ article }) => {
                      onInsert(article.bodyText)
                      setOpen(false)
                      setTyped('')
                    })
                    .catch((e: unknown) => setError(e))
                }}
              >
                (text)
              </button>{' '}
              <span className="muted">({a.visibility === 'public' ? 'public' : 'signed-in customers'})</span>
            </li>
          ))}
        </ul>
      )}
      {error !== null && <ErrorBox error={error} />}
      {q.length >= 2 && results.isSuccess && items.length === 0 && (
        <p className="muted">No article matches.</p>
      )}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </div>
  )
}
