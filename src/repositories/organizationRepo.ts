// Organisations: the companies customers belong to.
import type { Kysely, Updateable } from 'kysely'
import type { DB, OrganizationTable } from '../db/schema.ts'

export async function listOrganizations(db: Kysely<DB>) {
  return db
    .selectFrom('organizations as o')
    .select(['o.id', 'o.name', 'o.is_active'])
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.organization_id', '=', 'o.id')
        .where('u.type', '=', 'customer')
        .as('customer_count'),
    )
    .orderBy('o.name')
    .orderBy('o.id')
    .execute()
}

export async function organizationById(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('organizations as o')
    .select(['o.id', 'o.name', 'o.is_active'])
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.organization_id', '=', 'o.id')
        .where('u.type', '=', 'customer')
        .as('customer_count'),
    )
    .where('o.id', '=', id)
    .executeTakeFirst()
}

export async function organizationIdByName(db: Kysely<DB>, name: string) {
  const row = await db.selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

export async function insertOrganization(
  db: Kysely<DB>,
  values: { name: string; created_at: number },
): Promise<number> {
  const row = await db.insertInto('organizations').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateOrganizationRow(db: Kysely<DB>, id: number, set: Updateable<OrganizationTable>) {
  await db.updateTable('organizations').set(set).where('id', '=', id).execute()
}
