// One control per custom field type (src/domain/customFields.ts), shared by the agent's Fields card and the
// portal's new-ticket form. The label is the caller's: each control sits inside a <label>.
import type { ResponseOf } from './api/types.ts'

/** A field as GET /api/v1/custom-fields lists it for the viewer. */
export type FieldDef = ResponseOf<'/api/v1/custom-fields'>['items'][number]
export type FieldValue = string | number | boolean | string[]

/** A value as text: "—" when empty, "Yes"/"No" for a checkbox, a list joined by commas. */
export function shownValue(def: FieldDef, value: FieldValue | undefined): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '—'
  if (def.type === 'checkbox') return value ? 'Yes' : 'No'
  return Array.isArray(value) ? value.join(', ') : String(value)
}

/** The control for one field; `onChange(null)` clears it. */
export function FieldInput({
  def,
  value: v,
  onChange: set,
}: {
  def: FieldDef
  value: FieldValue | undefined
  onChange: (value: FieldValue | null) => void
}) {
  switch (def.type) {
    case 'checkbox':
      return <input type="checkbox" checked={v === true} onChange={(e) => set(e.target.checked)} />
    case 'select':
      return (
        <select value={typeof v === 'string' ? v : ''} onChange={(e) => set(e.target.value || null)}>
          <option value="">—</option>
          {def.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      )
    case 'multi_select':
      return (
        <select
          multiple
          value={Array.isArray(v) ? v : []}
          onChange={(e) => set([...e.target.selectedOptions].map((o) => o.value))}
        >
          {def.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      )
    case 'number':
      return (
        <input
          type="number"
          value={typeof v === 'number' ? v : ''}
          onChange={(e) => set(e.target.value === '' ? null : Number(e.target.value))}
        />
      )
    case 'date':
      return (
        <input
          type="date"
          value={typeof v === 'string' ? v : ''}
          onChange={(e) => set(e.target.value || null)}
        />
      )
    case 'long_text':
      return (
        <textarea
          rows={3}
          value={typeof v === 'string' ? v : ''}
          onChange={(e) => set(e.target.value || null)}
        />
      )
    case 'text':
      return (
        <input
          value={typeof v === 'string' ? v : ''}
          maxLength={255}
          onChange={(e) => set(e.target.value || null)}
        />
      )
  }
}
