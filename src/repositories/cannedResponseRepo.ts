// Canned responses: reply templates, global (department_id null) or of one department.
import type { Insertable, Kysely } from 'kysely'
import type { CannedResponseTable, DB } from '../db/schema.ts'

export type CannedValues = Omit<Insertable<CannedResponseTable>, 'id' | 'created_at'>

const COLUMNS = ['id', 'title', 'body', 'department_id'] as const

export async function listCannedResponses(db: Kysely<DB>) {
  return db.selectFrom('canned_responses').select(COLUMNS).orderBy('title').orderBy('id').execute()
}

/** The global ones and those of `departments`; narrowed to one department (and the global ones) if given. */
export async function cannedForDepartments(db: Kysely<DB>, departments: number[], departmentId?: number) {
  return db
    .selectFrom('canned_responses')
    .select(COLUMNS)
    .where((eb) =>
      eb.or([
        eb('department_id', 'is', null),
        ...(departments.length > 0 ? [eb('department_id', 'in', departments)] : []),
      ]),
    )
    .$if(departmentId !== undefined, (q) =>
      q.where((eb) => eb.or([eb('department_id', 'is', null), eb('department_id', '=', departmentId!)])),
    )
    .orderBy('title')
    .orderBy('id')
    .limit(500)
    .execute()
}

export async function cannedById(db: Kysely<DB>, id: number) {
  return db.selectFrom('canned_responses').select(COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function insertCanned(db: Kysely<DB>, values: CannedValues, createdAt: number) {
  const row = await db
    .insertInto('canned_responses')
    .values({ ...values, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateCanned(db: Kysely<DB>, id: number, values: CannedValues) {
  await db.updateTable('canned_responses').set(values).where('id', '=', id).execute()
}

/** False when there was no such canned response. */
export async function deleteCanned(db: Kysely<DB>, id: number): Promise<boolean> {
  const gone = await db.deleteFrom('canned_responses').where('id', '=', id).executeTakeFirst()
  return Number(gone.numDeletedRows) > 0
}
