// Email intake: the addresses we accept mail for, the department each feeds, and whose Authentication-Results
// each believes. A header is believed only under an authserv-id listed here, so list only your own receiving
// MTA, and only if it deletes such headers arriving from outside (docs/SECURITY.md).
import { z } from 'zod'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { optionsOf, requiredId, SelectField, str, TextField } from '../../components/admin/formFields.tsx'
import type { ResponseOf } from '../../api/types.ts'
import { adminResource, useAdminList, type AdminDepartment } from './adminApi.ts'

type IntakeAddress = ResponseOf<'/api/v1/admin/intake-addresses'>['items'][number]

const addresses = adminResource<IntakeAddress, string>('/api/v1/admin/intake-addresses')
const Schema = z.object({
  address: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Address is not a valid email address'),
  departmentId: requiredId('Department'),
  trusted: z.string().transform((text) => text.split(/[\s,]+/).filter((s) => s !== '')),
})
const put = (a: { address: string; departmentId: number; trustedAuthservIds: string[] }) =>
  addresses.put(a.address, { departmentId: a.departmentId, trustedAuthservIds: a.trustedAuthservIds })

export function IntakeAddressesAdmin() {
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const nameOf = (id: number) => departments.data?.items.find((d) => d.id === id)?.name ?? `#${id}`
  return (
    <ResourcePage<IntakeAddress, z.input<typeof Schema>, z.output<typeof Schema>>
      title="Email intake addresses"
      singular="address"
      intro={
        <p className="muted">
          Mail to these addresses becomes tickets in their department. A sender’s From address proves nothing;
          a reply to our own mail does, and so does the SPF, DKIM or DMARC verdict of a receiving mail server
          you trust. Name that server by the authserv-id it writes first in its Authentication-Results header
          (for example <code>mx.example.com</code>), and only if it removes such headers from incoming mail.
        </p>
      }
      load={{ key: addresses.key, fetch: addresses.list }}
      rowKey={(a) => a.address}
      rowName={(a) => a.address}
      searchText={(a) => a.address}
      columns={[
        { header: 'Address', cell: (a) => a.address },
        { header: 'Department', cell: (a) => nameOf(a.departmentId) },
        {
          header: 'Trusted authserv-ids',
          cell: (a) => (a.trustedAuthservIds.length ? a.trustedAuthservIds.join(', ') : 'None'),
        },
      ]}
      form={{
        schema: Schema,
        createLabel: 'Add address',
        defaults: (a) => ({
          address: a?.address ?? '',
          departmentId: str(a?.departmentId),
          trusted: a?.trustedAuthservIds.join(', ') ?? '',
        }),
        save: (v) => put({ address: v.address, departmentId: v.departmentId, trustedAuthservIds: v.trusted }),
        fields: (editing) => (
          <>
            <TextField name="address" label="Address" type="email" disabled={editing !== null} />
            <SelectField
              name="departmentId"
              label="Department"
              empty="Choose…"
              options={optionsOf(departments.data?.items)}
            />
            <TextField
              name="trusted"
              label="Trusted authserv-ids"
              placeholder="none: no Authentication-Results is believed"
            />
          </>
        ),
      }}
      remove={{ run: (a) => addresses.remove(a.address), undo: put }}
    />
  )
}
