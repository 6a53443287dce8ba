// The group → department and role table of the SSO and LDAP settings (issue 18).
import type { AdminDepartment, AdminRole } from './adminApi.ts'
import { useAdminList } from './adminApi.ts'

export interface GroupMapping {
  group: string
  departmentId: number
  role: string
}

export function GroupMappingsField({
  value,
  onChange,
  hint,
}: {
  value: GroupMapping[]
  onChange: (next: GroupMapping[]) => void
  hint: string
}) {
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const roles = useAdminList<AdminRole>('/api/v1/admin/roles')
  const firstDepartment = departments.data?.items[0]?.id
  const firstRole = roles.data?.items[0]?.key
  const set = (i: number, patch: Partial<GroupMapping>) =>
    onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  return (
    <fieldset className="field wide">
      <legend>Group mappings</legend>
      <p className="muted">{hint}</p>
      {value.map((m, i) => (
        <div key={i} className="inline-form" role="group" aria-label={`Mapping ${i + 1}`}>
          <label className="field">
            <span>Group</span>
            <input
              required
              maxLength={500}
              value={m.group}
              onChange={(e) => set(i, { group: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Department</span>
            <select value={m.departmentId} onChange={(e) => set(i, { departmentId: Number(e.target.value) })}>
              {departments.data?.items.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Role</span>
            <select value={m.role} onChange={(e) => set(i, { role: e.target.value })}>
              {roles.data?.items.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="secondary"
            aria-label={`Remove mapping ${i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        disabled={firstDepartment === undefined || firstRole === undefined}
        onClick={() => onChange([...value, { group: '', departmentId: firstDepartment!, role: firstRole! }])}
      >
        Add a mapping
      </button>
    </fieldset>
  )
}
