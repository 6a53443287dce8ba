// Outgoing mail templates: edit one, preview it as it would be sent (with sample data), or go back to the default.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useFormContext } from 'react-hook-form'
import { z } from 'zod'
import { api, get } from '../../api.ts'
import { ResourcePage } from '../../components/admin/ResourcePage.tsx'
import { required, TextAreaField, TextField } from '../../components/admin/formFields.tsx'
import { ErrorBox } from '../../ui.tsx'

interface Template {
  key: string
  subject: string
  body: string
  custom: boolean
}
const BASE = '/api/v1/admin/mail-templates'
const KEY = ['admin', BASE] as const
const NAMES: Record<string, string> = {
  autoresponse: 'Auto-response to a new ticket',
  reply: 'Agent reply',
  alert_new_ticket: 'Alert: new ticket',
  alert_assigned: 'Alert: ticket assigned',
  alert_message: 'Alert: new message',
  alert_note: 'Alert: internal note',
  password_reset: 'Password reset',
  ticket_link: 'Ticket sign-in link',
}
const nameOf = (key: string) => NAMES[key] ?? key
const Schema = z.object({ subject: required('Subject', 255), body: required('Body', 50_000) })
type Values = z.input<typeof Schema>

function Preview({ templateKey }: { templateKey: string }) {
  const form = useFormContext<Values>()
  const preview = useMutation({
    mutationFn: () =>
      api<{ subject: string; text: string; html: string }>(
        'POST',
        `${BASE}/${templateKey}/preview`,
        form.getValues(),
      ),
  })
  return (
    <div className="field wide">
      <button type="button" className="secondary" onClick={() => preview.mutate()}>
        Preview
      </button>
      {preview.isError && <ErrorBox error={preview.error} />}
      {preview.data && (
        <section aria-label="Preview with sample data" className="card">
          <p>
            <strong>Subject:</strong> {preview.data.subject}
          </p>
          <iframe
            title="Preview of the HTML part"
            sandbox=""
            srcDoc={preview.data.html}
            style={{ width: '100%', height: '16rem', border: '1px solid var(--border)', background: '#fff' }}
          />
        </section>
      )}
    </div>
  )
}

export function MailTemplatesAdmin() {
  const client = useQueryClient()
  const variables = useQuery({
    queryKey: [...KEY, 'variables'],
    queryFn: () => get<{ variables: string[] }>(BASE),
  })
  const reset = useMutation({
    mutationFn: (key: string) => api('DELETE', `${BASE}/${key}`),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  })
  return (
    <ResourcePage<Template, Values, z.output<typeof Schema>>
      title="Mail templates"
      singular="template"
      intro={
        <p className="muted">
          Variables: {(variables.data?.variables ?? []).map((v) => `{{${v}}}`).join(', ')}. The HTML part is
          the same text, escaped, so no variable can add markup.
        </p>
      }
      load={{ key: KEY, fetch: () => get<{ items: Template[] }>(BASE) }}
      rowKey={(t) => t.key}
      rowName={(t) => nameOf(t.key)}
      columns={[
        { header: 'Template', cell: (t) => nameOf(t.key) },
        { header: 'Subject', cell: (t) => t.subject },
        { header: 'Version', cell: (t) => (t.custom ? 'Edited' : 'Default') },
      ]}
      form={{
        schema: Schema,
        editOnly: true,
        layout: 'stacked',
        defaults: (t) => ({ subject: t?.subject ?? '', body: t?.body ?? '' }),
        save: (v, editing) => api('PUT', `${BASE}/${editing!.key}`, v),
        fields: (editing) => (
          <>
            <TextField name="subject" label="Subject" maxLength={255} />
            <TextAreaField name="body" label="Body" rows={10} maxLength={50_000} />
            {editing && <Preview templateKey={editing.key} />}
          </>
        ),
      }}
      actions={(t) =>
        t.custom && (
          <button
            type="button"
            className="secondary"
            aria-label={`Reset ${nameOf(t.key)} to the default`}
            onClick={() => reset.mutate(t.key)}
          >
            Reset to default
          </button>
        )
      }
    >
      {reset.isError && <ErrorBox error={reset.error} />}
    </ResourcePage>
  )
}
