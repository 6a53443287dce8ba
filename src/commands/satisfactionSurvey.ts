// Asking "How did we do?" when a ticket is resolved (issue 16). Runs inside the resolving command's transaction
// (from ticketAutomation.ts, so every way of resolving asks: the update form, bulk, macros, rules), writes the
// survey and its email's outbox row, and returns the change to record. The email carries a random token whose
// sha256 alone is stored, as ticket links and password resets do (auth.ts `sha256`).
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { enqueue } from '../repositories/outboxRepo.ts'
import { closeOpenSurveys, findSetting, insertSurvey } from '../repositories/satisfactionRepo.ts'
import { findUserById } from '../repositories/userRepo.ts'
import { sha256 } from './auth.ts'
import type { Change } from './ticketWrites.ts'

export const SATISFACTION_TOPIC = 'email.satisfaction'
export const DEFAULT_QUESTION = 'How did we do?'
/** The answer can be given, and changed, this long after the ticket was resolved. */
export const SATISFACTION_TTL_MS = 7 * 24 * 3600_000

/** The payload of an `email.satisfaction` outbox row. No thread content: the survey never quotes the ticket. */
export interface SatisfactionEmail {
  to: string
  name: string
  ticketNumber: string
  subject: string
  question: string
  /** Append to the public base URL; the token is in the fragment, so it never reaches a server log. */
  path: string
  expiresAt: number
}

export async function askSatisfaction(
  trx: Kysely<DB>,
  t: {
    ticketId: number
    number: string
    subject: string
    requesterId: number
    departmentId: number
    agentId: number | null
    teamId: number | null
    at: number
  },
): Promise<Change | undefined> {
  const setting = await findSetting(trx, t.departmentId)
  if (setting?.enabled !== 1) return undefined
  const requester = await findUserById(trx, t.requesterId)
  if (!requester || requester.type !== 'customer' || requester.is_active !== 1) return undefined
  const token = randomBytes(32).toString('base64url')
  const expiresAt = t.at + SATISFACTION_TTL_MS
  await closeOpenSurveys(trx, t.ticketId, t.at)
  const surveyId = await insertSurvey(trx, {
    ticketId: t.ticketId,
    requesterId: requester.id,
    departmentId: t.departmentId,
    agentId: t.agentId,
    teamId: t.teamId,
    question: setting.question,
    tokenHash: sha256(token),
    askedAt: t.at,
    expiresAt,
  })
  const mail: SatisfactionEmail = {
    to: requester.email,
    name: requester.name,
    ticketNumber: t.number,
    subject: t.subject,
    question: setting.question,
    path: `/portal/satisfaction#token=${token}`,
    expiresAt,
  }
  await enqueue(trx, SATISFACTION_TOPIC, mail, t.at)
  return { type: 'satisfaction.asked', after: { surveyId } }
}
