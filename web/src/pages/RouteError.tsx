import { Link, useRouteError } from 'react-router'
import { errorText } from '../ui.tsx'

/** Shown when a page fails to render: what went wrong, and a way back. */
export function RouteError() {
  const error = useRouteError()
  return (
    <main className="page narrow">
      <h1>Something went wrong</h1>
      <p className="error" role="alert">
        {errorText(error)}
      </p>
      <p>
        <Link to="/">Go to the start page</Link> or reload the page.
      </p>
    </main>
  )
}
