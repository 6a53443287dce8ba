import { z } from 'zod'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { choices } from '@shared/choices.ts'
import { AUTO_ASSIGN_LABELS, AUTO_ASSIGN_MODES } from '@shared/departments.ts'
import {
  optionalCount,
  optionalId,
  optionalText,
  optionsOf,
  required,
  SelectField,
  str,
  TextAreaField,
  TextField,
} from '../../components/admin/formFields.tsx'
import {
  adminResource,
  useAdminList,
  type AdminAgent,
  type AdminDepartment,
  type AdminSlaPlan,
} from './adminApi.ts'

const AUTO_ASSIGN = choices(AUTO_ASSIGN_MODES, AUTO_ASSIGN_LABELS)

const departments = adminResource<AdminDepartment>('/api/v1/admin/departments')
const Schema = z.object({
  name: required('Name', 120),
  parentId: optionalId,
  autoAssign: z.enum(['off', 'round_robin', 'least_loaded']),
  maxOpenPerAgent: optionalCount('Max open tickets per agent', 1, 10_000),
  managerId: optionalId,
  slaPlanId: optionalId,
  signature: optionalText('Department signature', 2000),
})
type Values = z.input<typeof Schema>

export function DepartmentsAdmin() {
  const list = useAdminList<AdminDepartment>(departments.key[1])
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  const plans = useAdminList<AdminSlaPlan>('/api/v1/admin/sla-plans')
  const items = list.data?.items ?? []
  const nameOf = (id: number | null) => items.find((d) => d.id === id)?.name ?? '—'
  return (
    <ResourcePage<AdminDepartment, Values, z.output<typeof Schema>>
      title="Departments"
      singular="department"
      load={{ key: departments.key, fetch: departments.list }}
      rowKey={(d) => d.id}
      rowName={(d) => d.name}
      searchText={(d) => d.name}
      columns={[
        { header: 'Name', cell: (d) => d.name },
        { header: 'Parent', cell: (d) => nameOf(d.parentId) },
      ]}
      form={{
        schema: Schema,
        defaults: (d) => ({
          name: d?.name ?? '',
          parentId: str(d?.parentId),
          autoAssign: d?.autoAssign ?? 'off',
          maxOpenPerAgent: str(d?.maxOpenPerAgent),
          managerId: str(d?.managerId),
          slaPlanId: str(d?.slaPlanId),
          signature: d?.signature ?? '',
        }),
        // A new department has a name and maybe a parent; routing and service level are set on a change.
        save: (v, editing) =>
          editing
            ? departments.update(editing.id, v)
            : departments.create({ name: v.name, ...(v.parentId === null ? {} : { parentId: v.parentId }) }),
        fields: (editing) => (
          <>
            <TextField name="name" label="Name" maxLength={120} />
            <SelectField
              name="parentId"
              label="Parent department"
              empty="None"
              options={optionsOf(items.filter((d) => d.id !== editing?.id))}
            />
            {editing && (
              <>
                <SelectField name="autoAssign" label="Auto-assign" options={AUTO_ASSIGN} />
                <TextField
                  name="maxOpenPerAgent"
                  label="Max open tickets per agent"
                  type="number"
                  placeholder="No limit"
                />
                <SelectField
                  name="managerId"
                  label="Manager"
                  empty="None"
                  options={optionsOf(agents.data?.items)}
                />
                <SelectField
                  name="slaPlanId"
                  label="SLA plan"
                  empty="System default"
                  options={optionsOf(plans.data?.items)}
                />
                <TextAreaField
                  name="signature"
                  label="Department signature"
                  rows={3}
                  maxLength={2000}
                  placeholder="Added under agents' public replies"
                />
              </>
            )}
          </>
        ),
      }}
      toggle={{
        active: (d) => d.isActive,
        set: (d, isActive) => departments.update(d.id, { isActive }),
        confirm: (d) => (
          <p>
            {d.name} leaves the lists that agents and customers choose from. Its tickets stay where they are.
          </p>
        ),
      }}
    />
  )
}
