// Custom ticket fields: their definitions, who sees and edits them, and when they are required.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { FIELD_TYPES } from '../../domain/customFields.ts'
import { AppError, badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { presentCustomField } from '../../presenters/customFieldPresenter.ts'
import {
  customFieldById,
  insertCustomField,
  listCustomFields,
  updateCustomField,
} from '../../repositories/customFieldRepo.ts'
import { nonBlank, text } from '../fields.ts'
import { requireAdmin, saveResource, type AdminMeta } from './adminWrites.ts'

export const CustomFieldIn = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _'),
  label: nonBlank(100),
  type: z.enum(FIELD_TYPES),
  options: z.array(text(100)).max(200).default([]),
  clientVisible: z.boolean().default(true),
  clientEditable: z.boolean().default(true),
  agentVisible: z.boolean().default(true),
  requiredOnCreate: z.boolean().default(false),
  requiredToClose: z.boolean().default(false),
  position: z.number().int().min(0).max(1_000_000).default(0),
  isActive: z.boolean().default(true),
})
export type CustomFieldIn = z.infer<typeof CustomFieldIn>

/** Creates (`fieldId` null) or changes a field; the key and type are fixed once it exists. */
export async function saveCustomField(
  app: App,
  actor: Actor,
  fieldId: number | null,
  input: Partial<CustomFieldIn>,
  meta: AdminMeta,
) {
  const saved = await saveResource(app, actor, meta, {
    store: {
      what: 'custom field',
      byId: customFieldById,
      insert: insertCustomField,
      update: updateCustomField,
    },
    id: fieldId,
    input,
    merge: (current) => {
      if (current && input.key !== undefined && input.key !== current.key)
        throw badRequest('key_fixed', 'A field’s key cannot change: stored values and rules refer to it.')
      if (current && input.type !== undefined && input.type !== current.type)
        throw badRequest('type_fixed', 'A field’s type cannot change once it exists.')
      const merged = CustomFieldIn.parse({ ...(current ? presentCustomField(current) : {}), ...input })
      if ((merged.type === 'select' || merged.type === 'multi_select') && merged.options.length === 0)
        throw badRequest('options_required', 'A select field needs options.')
      return merged
    },
    toValues: (f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
      options: JSON.stringify(f.options),
      client_visible: f.clientVisible ? 1 : 0,
      client_editable: f.clientEditable ? 1 : 0,
      agent_visible: f.agentVisible ? 1 : 0,
      required_on_create: f.requiredOnCreate ? 1 : 0,
      required_to_close: f.requiredToClose ? 1 : 0,
      position: f.position,
      is_active: f.isActive ? 1 : 0,
    }),
    events: { created: 'admin.field_created', updated: 'admin.field_updated' },
    conflict: () => new AppError('conflict', 'field_exists', 'A field with that key exists.'),
  })
  await app.fields.load(app.db.read)
  return saved
}

export async function customFields(app: App, actor: Actor) {
  requireAdmin(actor)
  return listCustomFields(app.db.read)
}
