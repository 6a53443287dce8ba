import { z } from 'zod'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { CheckboxGroup, idList, optionsOf, required, TextField } from '../../components/admin/formFields.tsx'
import { adminResource, useAdminList, type AdminAgent, type AdminTeam } from './adminApi.ts'

const teams = adminResource<AdminTeam>('/api/v1/admin/teams')
const Schema = z.object({ name: required('Name', 120), memberIds: idList })

export function TeamsAdmin() {
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  return (
    <ResourcePage<AdminTeam, z.input<typeof Schema>, z.output<typeof Schema>>
      title="Teams"
      singular="team"
      load={{ key: teams.key, fetch: teams.list }}
      rowKey={(t) => t.id}
      rowName={(t) => t.name}
      searchText={(t) => `${t.name} ${t.members.map((m) => m.name).join(' ')}`}
      columns={[
        { header: 'Name', cell: (t) => t.name },
        { header: 'Members', cell: (t) => t.members.map((m) => m.name).join(', ') || '—' },
      ]}
      form={{
        schema: Schema,
        layout: 'stacked',
        defaults: (t) => ({ name: t?.name ?? '', memberIds: t?.members.map((m) => String(m.id)) ?? [] }),
        save: (values, editing) => (editing ? teams.update(editing.id, values) : teams.create(values)),
        fields: () => (
          <>
            <TextField name="name" label="Name" maxLength={120} />
            <CheckboxGroup
              name="memberIds"
              label="Members"
              options={optionsOf(agents.data?.items.filter((a) => a.isActive))}
            />
          </>
        ),
      }}
      toggle={{ active: (t) => t.isActive, set: (t, isActive) => teams.update(t.id, { isActive }) }}
    />
  )
}
