// `/tickets/:number`: the short ticket address (older mail links used it). The Shell has already made the visitor
// sign in and come back here; this sends an agent to the agent view and a customer to their portal page.
import { Navigate, useParams } from 'react-router'
import { useCurrentUser } from './Shell.tsx'

export function TicketRedirect() {
  const me = useCurrentUser()
  const { number = '' } = useParams()
  const area = me.user.type === 'agent' ? 'agent' : 'portal'
  return <Navigate to={`/${area}/tickets/${encodeURIComponent(number)}`} replace />
}
