import { z } from 'zod'

export const CannedResponseOut = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  departmentId: z.number().nullable().describe('null: available in every department'),
})
export type CannedResponseOut = z.infer<typeof CannedResponseOut>

export function presentCannedResponse(c: {
  id: number
  title: string
  body: string
  department_id: number | null
}): CannedResponseOut {
  return { id: c.id, title: c.title, body: c.body, departmentId: c.department_id }
}
