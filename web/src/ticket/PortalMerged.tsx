// The portal's view of a merged ticket (issue 12): when the customer may open the ticket it was merged into,
// the page goes on to it; otherwise it says so and the customer keeps writing here (their messages reach the
// agents on the other ticket, and only they and the agents read them).
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useNavigate } from 'react-router'
import { get, type TicketDetail } from '../api.ts'

export function PortalMerged({ mergedInto }: { mergedInto: string | null | undefined }) {
  const navigate = useNavigate()
  const target = useQuery({
    queryKey: ['ticket', mergedInto],
    queryFn: () => get<TicketDetail>(`/api/v1/tickets/${encodeURIComponent(mergedInto ?? '')}`),
    enabled: !!mergedInto,
    retry: false,
  })
  useEffect(() => {
    if (mergedInto && target.isSuccess)
      void navigate(`/portal/tickets/${encodeURIComponent(mergedInto)}`, { replace: true })
  }, [mergedInto, navigate, target.isSuccess])
  if (!mergedInto || !target.isError) return null
  return (
    <p className="notice" role="status">
      This request was combined with another one we are handling. You can keep writing here: we will see it.
    </p>
  )
}
