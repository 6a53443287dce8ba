import { z } from 'zod'
import { get } from '../../api.ts'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { required, SelectField, TextField } from '../../components/admin/formFields.tsx'
import { adminResource, type AdminStatus } from './adminApi.ts'
import { choices } from '@shared/choices.ts'
import { STATUS_CATEGORIES, STATUS_CATEGORY_LABELS } from '@shared/tickets.ts'

const CATEGORIES = choices(STATUS_CATEGORIES, STATUS_CATEGORY_LABELS)

const statuses = adminResource<AdminStatus, string>('/api/v1/admin/statuses')
const Schema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'Key: lower-case letters, digits and _, at most 32'),
  name: required('Name', 64),
  category: z.enum(CATEGORIES.map(([k]) => k)),
  position: z
    .string()
    .regex(/^\d{1,5}$/, 'Position must be a whole number from 0 to 10000')
    .transform(Number)
    .refine((n) => n <= 10_000, 'Position must be a whole number from 0 to 10000'),
})
const categoryName = (c: string) => CATEGORIES.find(([k]) => k === c)?.[1] ?? c

export function StatusesAdmin() {
  return (
    <ResourcePage<AdminStatus, z.input<typeof Schema>, z.output<typeof Schema>>
      title="Statuses"
      singular="status"
      // Agents' status list is the same query, so a change shows in the ticket view at once.
      load={{ key: ['statuses'], fetch: () => get<{ items: AdminStatus[] }>('/api/v1/statuses') }}
      rowKey={(s) => s.key}
      rowName={(s) => s.name}
      columns={[
        { header: 'Key', cell: (s) => s.key },
        { header: 'Name', cell: (s) => s.name },
        { header: 'Category', cell: (s) => categoryName(s.category) },
        { header: 'Position', cell: (s) => s.position },
      ]}
      form={{
        schema: Schema,
        defaults: (s) => ({
          key: s?.key ?? '',
          name: s?.name ?? '',
          category: (s?.category ?? 'open') as z.input<typeof Schema>['category'],
          position: String(s?.position ?? 0),
        }),
        save: ({ key, ...rest }, editing) =>
          editing ? statuses.update(editing.key, rest) : statuses.create({ key, ...rest }),
        fields: (editing) => (
          <>
            <TextField name="key" label="Key" maxLength={32} disabled={editing !== null} />
            <TextField name="name" label="Name" maxLength={64} />
            <SelectField name="category" label="Category" options={CATEGORIES} />
            <TextField name="position" label="Position" type="number" />
          </>
        ),
      }}
    />
  )
}
