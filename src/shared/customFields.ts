// Custom ticket field types, with the names the admin console shows. Validation of values is
// src/domain/customFields.ts; src/shared/ files import nothing (the web app bundles them too).

export const FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'date',
  'checkbox',
  'select',
  'multi_select',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]
export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text (one line)',
  long_text: 'Long text',
  number: 'Number',
  date: 'Date',
  checkbox: 'Checkbox',
  select: 'Select (one option)',
  multi_select: 'Multi-select',
}

/** Types whose values come from the field's list of options. */
export const hasOptions = (type: string): boolean => type === 'select' || type === 'multi_select'
