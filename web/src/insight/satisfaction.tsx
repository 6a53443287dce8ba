// Satisfaction surveys in the web app (issue 16): the answer form (the emailed link's page and the portal's
// ticket page share it), the agents' card on the ticket, and the shapes of src/routes/satisfactionRoutes.ts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get } from '../api.ts'
import { ErrorBox, formatTime } from '../ui.tsx'

export type Rating = 'good' | 'bad'
export const RATING_NAMES: Record<Rating, string> = { good: 'Good', bad: 'Bad' }

export interface Survey {
  id: number
  question: string
  askedAt: string
  changeableUntil: string
  open: boolean
  rating: Rating | null
  comment: string | null
  ratedAt: string | null
  channel: string | null
  agent: { id: number; name: string } | null
}

const surveysKey = (number: string) => ['satisfaction', number]
const surveysPath = (number: string) => `/api/v1/tickets/${encodeURIComponent(number)}/satisfaction`

export function useSurveys(number: string) {
  return useQuery({
    queryKey: surveysKey(number),
    queryFn: () => get<{ items: Survey[]; canAnswer: boolean }>(surveysPath(number)),
  })
}

/** Good / bad and an optional comment: a radio group and a text area, sent with one button. */
export function AnswerForm(props: {
  question: string
  initial?: { rating: Rating | null; comment: string | null }
  submitLabel: string
  busy: boolean
  onSubmit: (answer: { rating: Rating; comment?: string }) => void
}) {
  const [rating, setRating] = useState<Rating | null>(props.initial?.rating ?? null)
  const [comment, setComment] = useState(props.initial?.comment ?? '')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (rating) props.onSubmit({ rating, ...(comment.trim() ? { comment } : {}) })
  }
  return (
    <form onSubmit={submit} className="survey-form">
      <fieldset>
        <legend>{props.question}</legend>
        {(['good', 'bad'] as const).map((r) => (
          <label key={r} className="field check">
            <input
              type="radio"
              name="rating"
              value={r}
              checked={rating === r}
              onChange={() => setRating(r)}
            />
            <span>{RATING_NAMES[r]}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Comment (optional)</span>
        <textarea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <button type="submit" disabled={!rating || props.busy}>
        {props.busy ? 'Sending…' : props.submitLabel}
      </button>
    </form>
  )
}

/** On the requester's portal page: the latest survey, answered or changed here until it closes. */
export function PortalSatisfaction({ number }: { number: string }) {
  const surveys = useSurveys(number)
  const client = useQueryClient()
  const [saved, setSaved] = useState(false)
  const save = useMutation({
    mutationFn: (answer: { rating: Rating; comment?: string }) => api('PUT', surveysPath(number), answer),
    onSuccess: async () => {
      setSaved(true)
      await client.invalidateQueries({ queryKey: surveysKey(number) })
    },
  })
  const survey = surveys.data?.canAnswer ? surveys.data.items[0] : undefined
  if (!survey) return null
  return (
    <section className="card satisfaction" aria-labelledby="satisfaction-title">
      <h2 id="satisfaction-title">Your feedback</h2>
      {save.isError && <ErrorBox error={save.error} />}
      {saved && !save.isPending && (
        <p className="notice" role="status">
          Thank you: your answer is saved.
        </p>
      )}
      {survey.rating && (
        <p>
          You answered <strong>{RATING_NAMES[survey.rating]}</strong>
          {survey.comment ? `: “${survey.comment}”` : '.'}
        </p>
      )}
      {survey.open ? (
        <>
          <AnswerForm
            key={`${survey.id}-${survey.rating ?? ''}`}
            question={survey.question}
            initial={survey}
            submitLabel={survey.rating ? 'Change my answer' : 'Send my answer'}
            busy={save.isPending}
            onSubmit={(answer) => save.mutate(answer)}
          />
          <p className="muted">You can change your answer until {formatTime(survey.changeableUntil)}.</p>
        </>
      ) : (
        !survey.rating && <p className="muted">This survey is closed.</p>
      )}
    </section>
  )
}

/** For agents, beside the ticket: each resolution's answer. */
export function SatisfactionCard({ number }: { number: string }) {
  const surveys = useSurveys(number)
  const items = surveys.data?.items ?? []
  if (surveys.isSuccess && items.length === 0) return null
  return (
    <section className="card satisfaction" aria-labelledby="satisfaction-title">
      <h2 id="satisfaction-title">Satisfaction</h2>
      {surveys.isError && <ErrorBox error={surveys.error} retry={() => void surveys.refetch()} />}
      <ul className="plain-list" aria-label="Satisfaction answers">
        {items.map((s) => (
          <li key={s.id}>
            {s.rating ? (
              <>
                <span className={`rating rating-${s.rating}`}>{RATING_NAMES[s.rating]}</span>
                {s.comment && <q className="rating-comment">{s.comment}</q>}
                <span className="muted"> · {formatTime(s.ratedAt ?? s.askedAt)}</span>
              </>
            ) : (
              <span className="muted">
                Asked {formatTime(s.askedAt)}: {s.open ? 'no answer yet' : 'not answered'}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
