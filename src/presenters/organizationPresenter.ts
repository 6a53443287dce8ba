import { z } from 'zod'

export const OrganizationOut = z.object({
  id: z.number(),
  name: z.string(),
  isActive: z.boolean(),
  customerCount: z.number(),
})
export function presentOrganization(o: {
  id: number
  name: string
  is_active: number
  customer_count: number | null
}) {
  return { id: o.id, name: o.name, isActive: o.is_active === 1, customerCount: Number(o.customer_count ?? 0) }
}
