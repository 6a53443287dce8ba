import { z } from 'zod'

export const RoleOut = z.object({ key: z.string(), name: z.string(), permissions: z.array(z.string()) })
export function presentRole(r: { key: string; name: string; permissions: string }) {
  return { key: r.key, name: r.name, permissions: JSON.parse(r.permissions) as string[] }
}
