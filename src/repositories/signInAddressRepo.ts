// The addresses each account has signed in from (the sign-in throttle's "known addresses"): Kysely queries only.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function hasSignedInFrom(db: Kysely<DB>, userId: number, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_addresses')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('address', '=', address)
    .executeTakeFirst()
  return row !== undefined
}

export async function rememberSignInAddress(
  db: Kysely<DB>,
  userId: number,
  address: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('sign_in_addresses')
    .values({ user_id: userId, address, first_at: at, last_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'address']).doUpdateSet({ last_at: at }))
    .execute()
}
