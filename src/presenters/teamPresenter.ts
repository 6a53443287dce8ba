import { z } from 'zod'

export const TeamOut = z.object({
  id: z.number(),
  name: z.string(),
  isActive: z.boolean(),
  members: z.array(z.object({ id: z.number(), name: z.string() })),
})
export function presentTeam(
  t: { id: number; name: string; is_active: number },
  members: { id: number; name: string }[],
) {
  return {
    id: t.id,
    name: t.name,
    isActive: t.is_active === 1,
    members: members.map((m) => ({ id: m.id, name: m.name })),
  }
}
