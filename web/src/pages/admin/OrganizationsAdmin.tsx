import { z } from 'zod'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { required, TextField } from '../../components/admin/formFields.tsx'
import { adminResource, type AdminOrganization } from './adminApi.ts'

const organizations = adminResource<AdminOrganization>('/api/v1/admin/organizations')
const Schema = z.object({ name: required('Name', 120) })

export function OrganizationsAdmin() {
  return (
    <ResourcePage<AdminOrganization, z.input<typeof Schema>, z.output<typeof Schema>>
      title="Organisations"
      singular="organisation"
      load={{ key: organizations.key, fetch: organizations.list }}
      rowKey={(o) => o.id}
      rowName={(o) => o.name}
      searchText={(o) => o.name}
      columns={[
        { header: 'Name', cell: (o) => o.name },
        { header: 'Customers', cell: (o) => o.customerCount },
      ]}
      form={{
        schema: Schema,
        defaults: (o) => ({ name: o?.name ?? '' }),
        save: (values, editing) =>
          editing ? organizations.update(editing.id, values) : organizations.create(values),
        fields: () => <TextField name="name" label="Name" maxLength={120} />,
      }}
      toggle={{ active: (o) => o.isActive, set: (o, isActive) => organizations.update(o.id, { isActive }) }}
    />
  )
}
