// Custom ticket fields: their types and the pure validation of values. Values live in one JSON column on the
// ticket (key → value), never in an entity-attribute-value table.

// The types are defined once in src/shared/customFields.ts (the admin console imports them too).
import { FIELD_TYPES, type FieldType } from '../shared/customFields.ts'
export { FIELD_TYPES, type FieldType }

export interface FieldDef {
  key: string
  label: string
  type: FieldType
  options: string[]
  clientVisible: boolean
  clientEditable: boolean
  agentVisible: boolean
  requiredOnCreate: boolean
  requiredToClose: boolean
}

export type FieldValues = Record<string, string | number | boolean | string[]>

const DATE = /^\d{4}-\d{2}-\d{2}$/

function checkValue(def: FieldDef, value: unknown): string | number | boolean | string[] | string {
  const bad = (why: string) => new FieldProblem(`${def.key}: ${why}`)
  switch (def.type) {
    case 'text':
    case 'long_text': {
      if (typeof value !== 'string') throw bad('must be text')
      const max = def.type === 'text' ? 255 : 20_000
      if (value.length > max) throw bad(`must be at most ${max} characters`)
      return value
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('must be a number')
      return value
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))
        throw bad('must be a date (YYYY-MM-DD)')
      return value
    case 'checkbox':
      if (typeof value !== 'boolean') throw bad('must be true or false')
      return value
    case 'select':
      if (typeof value !== 'string' || !def.options.includes(value))
        throw bad(`must be one of: ${def.options.join(', ')}`)
      return value
    case 'multi_select':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !def.options.includes(v)))
        throw bad(`must be a list of: ${def.options.join(', ')}`)
      return [...new Set(value as string[])]
  }
}

export class FieldProblem extends Error {}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || v === false

/**
 * Checks and normalises the values someone submits. Unknown keys, fields the person may not edit, and values of
 * the wrong type throw FieldProblem. On create, `required` lists the keys that must be filled in.
 */
export function acceptValues(
  defs: readonly FieldDef[],
  input: Record<string, unknown>,
  who: 'customer' | 'agent',
  current: FieldValues,
  required: readonly string[] = [],
): FieldValues {
  const byKey = new Map(defs.map((d) => [d.key, d]))
  const out: FieldValues = { ...current }
  for (const [key, value] of Object.entries(input)) {
    const def = byKey.get(key)
    if (!def) throw new FieldProblem(`${key}: no such field`)
    if (who === 'customer' && !(def.clientVisible && def.clientEditable))
      throw new FieldProblem(`${key}: customers cannot set this field`)
    if (value === null) delete out[key]
    else out[key] = checkValue(def, value) as FieldValues[string]
  }
  const missing = required.filter((k) => isEmpty(out[k]))
  if (missing.length > 0) throw new FieldProblem(`required: ${missing.join(', ')}`)
  return out
}

/** Keys of fields that must be filled in before a ticket may be resolved or closed. */
export function missingToClose(defs: readonly FieldDef[], values: FieldValues): string[] {
  return defs.filter((d) => d.requiredToClose && isEmpty(values[d.key])).map((d) => d.key)
}

/** The values a viewer may see: customers only client-visible fields, agents only agent-visible ones. */
export function visibleValues(defs: readonly FieldDef[], values: FieldValues, viewer: 'customer' | 'agent') {
  const out: FieldValues = {}
  for (const d of defs) {
    const show = viewer === 'customer' ? d.clientVisible : d.agentVisible
    if (show && values[d.key] !== undefined) out[d.key] = values[d.key]!
  }
  return out
}
