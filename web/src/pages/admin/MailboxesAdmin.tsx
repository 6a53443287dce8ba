import { useMutation } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '../../api.ts'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import {
  CheckboxField,
  optionsOf,
  required,
  requiredId,
  SelectField,
  str,
  TextField,
} from '../../components/admin/formFields.tsx'
import { ErrorBox } from '../../ui.tsx'
import { adminResource, useAdminList, type AdminDepartment } from './adminApi.ts'

/** As the API shows it: never the password. */
export interface AdminMailbox {
  id: number
  name: string
  host: string
  port: number
  secure: boolean
  username: string
  folder: string
  departmentId: number
  isActive: boolean
  lastError: string | null
}

const mailboxes = adminResource<AdminMailbox>('/api/v1/admin/mailboxes')
const Schema = z.object({
  name: required('Name', 128),
  host: required('Server', 255),
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'Port must be a number from 1 to 65535')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, 'Port must be a number from 1 to 65535'),
  secure: z.boolean(),
  username: required('User name', 255),
  password: z.string().max(1024, 'Password is too long: at most 1024 characters'),
  folder: required('Folder', 255),
  departmentId: requiredId('Department'),
})
type Out = z.output<typeof Schema>

export function MailboxesAdmin() {
  const departments = useAdminList<AdminDepartment>('/api/v1/admin/departments')
  const test = useMutation({
    mutationFn: (m: AdminMailbox) =>
      api<{ ok: boolean; messages?: number; error?: string }>(
        'POST',
        `/api/v1/admin/mailboxes/${m.id}/test`,
        {},
      ).then((r) => ({ ...r, name: m.name })),
  })
  const departmentName = (id: number) => departments.data?.items.find((d) => d.id === id)?.name ?? `#${id}`
  return (
    <ResourcePage<AdminMailbox, z.input<typeof Schema>, Out>
      title="IMAP mailboxes"
      singular="mailbox"
      intro={
        <p className="muted">
          The worker polls these mailboxes and files each new message as a ticket in the mailbox’s department.
          Passwords are stored encrypted with the server’s SECRET_KEY and are never shown again: leave the
          password empty when editing to keep it.
        </p>
      }
      load={{ key: mailboxes.key, fetch: mailboxes.list }}
      rowKey={(m) => m.id}
      rowName={(m) => m.name}
      searchText={(m) => `${m.name} ${m.host} ${m.username}`}
      columns={[
        { header: 'Name', cell: (m) => m.name },
        { header: 'Server', cell: (m) => `${m.username}@${m.host}:${m.port}${m.secure ? ' (TLS)' : ''}` },
        { header: 'Folder', cell: (m) => m.folder },
        { header: 'Department', cell: (m) => departmentName(m.departmentId) },
        { header: 'Last error', cell: (m) => m.lastError ?? 'None' },
      ]}
      form={{
        schema: Schema,
        defaults: (m) => ({
          name: m?.name ?? '',
          host: m?.host ?? '',
          port: str(m?.port ?? 993),
          secure: m?.secure ?? true,
          username: m?.username ?? '',
          password: '',
          folder: m?.folder ?? 'INBOX',
          departmentId: str(m?.departmentId),
        }),
        save: ({ password, ...rest }, editing) => {
          if (editing) return mailboxes.update(editing.id, password === '' ? rest : { ...rest, password })
          return mailboxes.create({ ...rest, password })
        },
        fields: (editing) => (
          <>
            <TextField name="name" label="Name" maxLength={128} />
            <TextField name="host" label="Server" maxLength={255} placeholder="imap.example.com" />
            <TextField name="port" label="Port" type="number" />
            <TextField name="username" label="User name" maxLength={255} autoComplete="off" />
            <TextField
              name="password"
              label={editing ? 'New password (empty: keep)' : 'Password'}
              type="password"
              autoComplete="new-password"
              maxLength={1024}
            />
            <TextField name="folder" label="Folder" maxLength={255} />
            <SelectField
              name="departmentId"
              label="Department"
              empty="Choose…"
              options={optionsOf(departments.data?.items.filter((d) => d.isActive))}
            />
            <CheckboxField name="secure" label="TLS (port 993)" />
          </>
        ),
      }}
      toggle={{ active: (m) => m.isActive, set: (m, isActive) => mailboxes.update(m.id, { isActive }) }}
      remove={{
        run: (m) => mailboxes.remove(m.id),
        confirm: (m) => (
          <p>
            Polling {m.name} stops and its settings are forgotten (tickets filed from it stay). Disable it
            instead to keep the settings.
          </p>
        ),
      }}
      actions={(m) => (
        <button
          type="button"
          className="secondary"
          aria-label={`Test connection of ${m.name}`}
          disabled={test.isPending}
          onClick={() => test.mutate(m)}
        >
          Test connection
        </button>
      )}
    >
      <div role="status" aria-live="polite">
        {test.data &&
          (test.data.ok ? (
            <p className="notice">
              {test.data.name}: connected, {test.data.messages ?? 0} messages in the folder.
            </p>
          ) : (
            <p className="error">
              {test.data.name}: could not connect: {test.data.error}
            </p>
          ))}
      </div>
      {test.isError && <ErrorBox error={test.error} />}
    </ResourcePage>
  )
}
