import { z } from 'zod'
import { get } from '../../api.ts'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import {
  optionalId,
  optionsOf,
  required,
  SelectField,
  str,
  TextField,
} from '../../components/admin/formFields.tsx'
import { adminResource, useAdminList, type AdminCustomer, type AdminOrganization } from './adminApi.ts'

const BASE = '/api/v1/admin/customers'
const customers = adminResource<AdminCustomer>(BASE)
const Schema = z.object({
  name: required('Name', 120),
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'Email is not a valid email address'),
  password: z
    .string()
    .refine((p) => p === '' || p.length >= 8, 'Password must have at least 8 characters')
    .refine((p) => p.length <= 1024, 'Password is too long: at most 1024 characters'),
  organizationId: optionalId,
})

export function CustomersAdmin() {
  const organizations = useAdminList<AdminOrganization>('/api/v1/admin/organizations')
  return (
    <ResourcePage<AdminCustomer, z.input<typeof Schema>, z.output<typeof Schema>>
      title="Customers"
      singular="customer"
      load={{
        key: customers.key,
        // The server searches (name or email prefix) and pages by keyset.
        fetch: ({ search, cursor }) =>
          get<{ items: AdminCustomer[]; nextCursor: string | null }>(
            `${BASE}?q=${encodeURIComponent(search)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          ),
      }}
      searchOnServer
      searchText={(c) => `${c.name} ${c.email}`}
      rowKey={(c) => c.id}
      rowName={(c) => c.name}
      columns={[
        { header: 'Name', cell: (c) => c.name },
        { header: 'Email', cell: (c) => c.email },
        { header: 'Organisation', cell: (c) => c.organizationName ?? '—' },
      ]}
      form={{
        schema: Schema,
        defaults: (c) => ({
          name: c?.name ?? '',
          email: c?.email ?? '',
          password: '',
          organizationId: str(c?.organizationId),
        }),
        save: ({ password, organizationId, ...rest }, editing) => {
          const body = {
            ...rest,
            ...(password ? { password } : {}),
            // A new customer simply has no organisation; only a change can clear one (null).
            ...(organizationId !== null || editing ? { organizationId } : {}),
          }
          return editing ? customers.update(editing.id, body) : customers.create(body)
        },
        fields: () => (
          <>
            <TextField name="name" label="Name" maxLength={120} />
            <TextField name="email" label="Email" type="email" />
            <TextField
              name="password"
              label="Password (optional)"
              type="password"
              autoComplete="new-password"
            />
            <SelectField
              name="organizationId"
              label="Organisation"
              empty="None"
              options={optionsOf(organizations.data?.items.filter((o) => o.isActive))}
            />
          </>
        ),
      }}
      toggle={{ active: (c) => c.isActive, set: (c, isActive) => customers.update(c.id, { isActive }) }}
    />
  )
}
