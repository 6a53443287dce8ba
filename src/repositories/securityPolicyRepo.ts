// The security policy's stored settings beyond two-factor (which twoFactor.ts keeps): how long a sign-in lasts.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { getSetting, putSetting } from './settingsRepo.ts'

const SESSION_LIFETIME = 'security.session_lifetime_hours'
/** 30 days: what sessions lasted before the setting existed. */
export const DEFAULT_SESSION_LIFETIME_HOURS = 720

export async function sessionLifetimeHours(db: Kysely<DB>): Promise<number> {
  const stored = Number(await getSetting(db, SESSION_LIFETIME))
  return Number.isSafeInteger(stored) && stored > 0 ? stored : DEFAULT_SESSION_LIFETIME_HOURS
}

export const putSessionLifetimeHours = (db: Kysely<DB>, hours: number) =>
  putSetting(db, SESSION_LIFETIME, String(hours))

/** A shorter lifetime applies to sessions already open too: none outlives sign-in time + the new lifetime. */
export async function capSessionExpiry(db: Kysely<DB>, lifetimeMs: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set((eb) => ({ expires_at: eb('created_at', '+', lifetimeMs) }))
    .where((eb) => eb('expires_at', '>', eb('created_at', '+', lifetimeMs)))
    .execute()
}
