import { z } from 'zod'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import {
  optionalId,
  optionsOf,
  required,
  SelectField,
  str,
  TextAreaField,
  TextField,
} from '../../components/admin/formFields.tsx'
import { adminResource, useAdminList, type AdminCanned, type AdminDepartment } from './adminApi.ts'

const canned = adminResource<AdminCanned>('/api/v1/admin/canned-responses')

const Schema = z.object({
  title: required('Title', 200),
  departmentId: optionalId,
  body: required('Body', 50_000),
})
type Values = z.input<typeof Schema>

// Deleting cannot be reversed on the server; Undo writes the response again from what was shown.
const recreate = (c: AdminCanned) =>
  canned.create({ title: c.title, body: c.body, departmentId: c.departmentId })

export function CannedAdmin() {
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const departmentName = (id: number | null) =>
    id === null ? 'All departments' : (departments.data?.items.find((d) => d.id === id)?.name ?? `#${id}`)
  return (
    <ResourcePage<AdminCanned, Values, z.output<typeof Schema>>
      title="Canned responses"
      singular="canned response"
      intro={
        <p className="muted">
          Variables such as {'{{ticket.number}}'} and {'{{requester.name}}'} are filled in when an agent
          inserts the response.
        </p>
      }
      load={{ key: canned.key, fetch: canned.list }}
      rowKey={(c) => c.id}
      rowName={(c) => c.title}
      searchText={(c) => `${c.title} ${c.body}`}
      columns={[
        { header: 'Title', cell: (c) => c.title },
        { header: 'Department', cell: (c) => departmentName(c.departmentId) },
        { header: 'Body', cell: (c) => (c.body.length > 80 ? `${c.body.slice(0, 80)}…` : c.body) },
      ]}
      form={{
        schema: Schema,
        defaults: (c) => ({ title: c?.title ?? '', departmentId: str(c?.departmentId), body: c?.body ?? '' }),
        save: (values, editing) => (editing ? canned.update(editing.id, values) : canned.create(values)),
        fields: () => (
          <>
            <TextField name="title" label="Title" maxLength={200} />
            <SelectField
              name="departmentId"
              label="Department"
              empty="All departments"
              options={optionsOf(departments.data?.items)}
            />
            <TextAreaField name="body" label="Body" wide maxLength={50_000} />
          </>
        ),
      }}
      remove={{ run: (c) => canned.remove(c.id), undo: recreate }}
    />
  )
}
