import { z } from 'zod'
import type { CollaboratorRow } from '../repositories/collaboratorRepo.ts'

export const CollaboratorOut = z.object({ id: z.number(), name: z.string(), email: z.string() })
export type CollaboratorOut = z.infer<typeof CollaboratorOut>

export function presentCollaborator(c: CollaboratorRow): CollaboratorOut {
  return { id: c.id, name: c.name, email: c.email }
}
