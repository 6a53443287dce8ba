import { z } from 'zod'
import { STATUS_CATEGORIES } from '../domain/tickets.ts'
import type { TicketStatus } from '../statusCatalog.ts'

export const StatusOut = z.object({
  key: z.string(),
  name: z.string(),
  category: z.enum(STATUS_CATEGORIES),
  position: z.number(),
})
export function presentStatus(s: TicketStatus): z.infer<typeof StatusOut> {
  return { key: s.key, name: s.name, category: s.category, position: s.position }
}
