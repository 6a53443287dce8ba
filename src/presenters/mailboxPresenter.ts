// A mailbox as the admin API shows it: never its password, sealed or not.
import { z } from 'zod'
import type { MailboxRow } from '../repositories/mailboxRepo.ts'

export const MailboxOut = z.object({
  id: z.number(),
  name: z.string(),
  host: z.string(),
  port: z.number(),
  secure: z.boolean(),
  username: z.string(),
  folder: z.string(),
  departmentId: z.number(),
  isActive: z.boolean(),
  lastError: z.string().nullable().describe('What went wrong at the last poll; null once a poll succeeds'),
  createdAt: z.string(),
})
export type MailboxOut = z.infer<typeof MailboxOut>

export function presentMailbox(m: MailboxRow): MailboxOut {
  return {
    id: m.id,
    name: m.name,
    host: m.host,
    port: m.port,
    secure: m.secure === 1,
    username: m.username,
    folder: m.folder,
    departmentId: m.department_id,
    isActive: m.is_active === 1,
    lastError: m.last_error,
    createdAt: new Date(m.created_at).toISOString(),
  }
}
