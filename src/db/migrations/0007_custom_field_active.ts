// Custom fields can be disabled: a disabled field is neither asked for nor required nor shown, and the values
// tickets already hold are kept, so enabling it again brings them back.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('custom_fields')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
}
