import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function upsertTemplate(
  db: Kysely<DB>,
  key: string,
  input: { subject: string; body: string },
  at: number,
): Promise<void> {
  await db
    .insertInto('mail_templates')
    .values({ key, ...input, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ ...input, updated_at: at }))
    .execute()
}

export async function deleteTemplate(db: Kysely<DB>, key: string): Promise<boolean> {
  const r = await db.deleteFrom('mail_templates').where('key', '=', key).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
