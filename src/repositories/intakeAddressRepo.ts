import type { Insertable, Kysely } from 'kysely'
import { reusable } from '../db/reusable.ts'
import type { DB, IntakeAddressTable } from '../db/schema.ts'

export interface IntakeAddress {
  address: string
  departmentId: number
  /** The authserv-ids whose Authentication-Results this address believes. */
  trustedAuthservIds: string[]
}

/** The stored JSON array; anything else (a hand-edited row) trusts nobody. */
export function trustedIdsOf(json: string): string[] {
  try {
    const ids: unknown = JSON.parse(json)
    return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : []
  } catch {
    return []
  }
}

// Every arriving message reads the list (compiled once: see reusable).
const allIntakeAddresses = reusable((db) => db.selectFrom('intake_addresses').selectAll().orderBy('address'))

export async function listIntakeAddresses(db: Kysely<DB>): Promise<IntakeAddress[]> {
  const rows = await allIntakeAddresses(db)
  return rows.map((r) => ({
    address: r.address,
    departmentId: r.department_id,
    trustedAuthservIds: trustedIdsOf(r.trusted_authserv_ids),
  }))
}

export async function findIntakeAddress(db: Kysely<DB>, address: string): Promise<IntakeAddress | undefined> {
  return (await listIntakeAddresses(db)).find((a) => a.address === address)
}

export async function upsertIntakeAddress(
  db: Kysely<DB>,
  row: Insertable<IntakeAddressTable>,
): Promise<void> {
  await db
    .insertInto('intake_addresses')
    .values(row)
    .onConflict((oc) =>
      oc.column('address').doUpdateSet({
        department_id: row.department_id,
        trusted_authserv_ids: row.trusted_authserv_ids ?? '[]',
      }),
    )
    .execute()
}

export async function deleteIntakeAddress(db: Kysely<DB>, address: string): Promise<boolean> {
  const r = await db.deleteFrom('intake_addresses').where('address', '=', address).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
