import type { Kysely } from 'kysely'
import type { DB } from './db/schema.ts'
import type { FieldDef } from './domain/customFields.ts'
import { listCustomFields } from './repositories/customFieldRepo.ts'

/** The enabled custom field definitions, held in memory like the statuses; reloaded after every admin change. */
export class CustomFieldCatalog {
  private defs: FieldDef[] = []

  async load(db: Kysely<DB>): Promise<void> {
    // A disabled field does not exist for tickets: not asked for, not required, not shown.
    const rows = await listCustomFields(db, { activeOnly: true })
    this.defs = rows.map((r) => ({
      key: r.key,
      label: r.label,
      type: r.type,
      options: JSON.parse(r.options) as string[],
      clientVisible: r.client_visible === 1,
      clientEditable: r.client_editable === 1,
      agentVisible: r.agent_visible === 1,
      requiredOnCreate: r.required_on_create === 1,
      requiredToClose: r.required_to_close === 1,
    }))
  }

  all(): readonly FieldDef[] {
    return this.defs
  }
}
