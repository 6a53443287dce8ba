// Where the survey mail's links land (issue 16). Works without signing in: the token in the URL fragment
// (#token=…&rating=…) is the proof, and it is used up only when the customer sends the answer, so a mail scanner
// that opens the link does not spend it. Reading the survey first shows its question.
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { api, ApiError } from '../../api.ts'
import { AnswerForm, RATING_NAMES, type Rating } from '../../insight/satisfaction.tsx'
import { errorText, formatTime, Loading } from '../../ui.tsx'

function takeFragment(): { token: string; rating: Rating | null } {
  const params = new URLSearchParams(window.location.hash.slice(1))
  // Keep the token out of the history and of anything that reads the address bar later.
  window.history.replaceState(window.history.state, '', window.location.pathname)
  const rating = params.get('rating')
  return { token: params.get('token') ?? '', rating: rating === 'good' || rating === 'bad' ? rating : null }
}

interface SurveyInfo {
  ticketNumber: string
  subject: string
  question: string
  changeableUntil: string
}

const message = (error: unknown) =>
  error instanceof ApiError && error.code === 'invalid_survey_link'
    ? 'This link was used already or has expired. You can change your answer on the ticket in the portal for 7 days after it was resolved.'
    : errorText(error)

export function SatisfactionLinkPage() {
  const [{ token, rating }] = useState(takeFragment)
  useEffect(() => {
    document.title = 'How did we do? · Switchboard'
  }, [])
  const survey = useQuery({
    queryKey: ['survey-link', token],
    queryFn: () => api<SurveyInfo>('POST', '/api/v1/satisfaction/survey', { token }),
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
  })
  const answer = useMutation({
    mutationFn: (a: { rating: Rating; comment?: string }) =>
      api<{ ticketNumber: string; rating: Rating; changeableUntil: string }>(
        'POST',
        '/api/v1/satisfaction/answer',
        { token, ...a },
      ),
  })

  return (
    <main className="login">
      <div className="card">
        <h1>How did we do?</h1>
        {token === '' && (
          <p className="error" role="alert">
            This link is incomplete. Open it from the email again.
          </p>
        )}
        {survey.isPending && token !== '' && <Loading what="Loading the survey" />}
        {survey.isError && !answer.isSuccess && (
          <p className="error" role="alert">
            {message(survey.error)}
          </p>
        )}
        {answer.isSuccess ? (
          <div role="status">
            <p>
              Thank you! You answered <strong>{RATING_NAMES[answer.data.rating]}</strong>.
            </p>
            <p className="muted">
              You can change your answer on{' '}
              <Link to={`/portal/tickets/${encodeURIComponent(answer.data.ticketNumber)}`}>
                ticket #{answer.data.ticketNumber}
              </Link>{' '}
              until {formatTime(answer.data.changeableUntil)}.
            </p>
          </div>
        ) : (
          survey.data && (
            <>
              <p>
                About ticket #{survey.data.ticketNumber}: {survey.data.subject}
              </p>
              {answer.isError && (
                <p className="error" role="alert">
                  {message(answer.error)}
                </p>
              )}
              <AnswerForm
                question={survey.data.question}
                initial={{ rating, comment: null }}
                submitLabel="Send my answer"
                busy={answer.isPending}
                onSubmit={(a) => answer.mutate(a)}
              />
            </>
          )
        )}
      </div>
    </main>
  )
}
