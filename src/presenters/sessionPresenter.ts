// A sign-in session as its owner sees it in the sessions list: never the token, nor its hash.
import { z } from 'zod'
import type { SessionInfo } from '../commands/sessions.ts'
import { iso8601 } from './ticketPresenter.ts'

export const SessionOut = z.object({
  id: z.string().describe('End it with DELETE /api/v1/me/sessions/:id'),
  ip: z.string().nullable().describe('The address it signed in from'),
  userAgent: z.string().nullable().describe('The browser or program it signed in with'),
  createdAt: z.string(),
  lastSeenAt: z.string().describe('To five minutes'),
  expiresAt: z.string(),
  current: z.boolean().describe('The session this request came with ("this device")'),
})

export const presentSession = (s: SessionInfo): z.infer<typeof SessionOut> => ({
  id: s.id,
  ip: s.ip,
  userAgent: s.userAgent,
  createdAt: iso8601(s.createdAt),
  lastSeenAt: iso8601(s.lastSeenAt),
  expiresAt: iso8601(s.expiresAt),
  current: s.current,
})
