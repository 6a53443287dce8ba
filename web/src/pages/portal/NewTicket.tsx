import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, get, type Ticket } from '../../api.ts'
import { FieldInput, type FieldDef, type FieldValue } from '../../customFieldInput.tsx'
import {
  CharCounter,
  checkText,
  counterShown,
  FieldError,
  fieldErrorsOf,
  type FieldErrors,
} from '../../formErrors.tsx'
import { ErrorBox } from '../../ui.tsx'
import { AttachmentPicker, useAttachments } from '../Attachments.tsx'
import { RichTextEditor } from '../../components/RichTextEditor.tsx'
import { EMPTY_RICH_TEXT, newTicketPayload, type RichText } from '../../components/richText.ts'

const SUBJECT_MAX = 255
const LABELS = {
  subject: 'Subject',
  message: 'Message',
  topicId: 'Help topic',
  fields: 'A field',
  collaborators: 'CC',
}
const CC_MAX = 10

/** The addresses typed into the CC field: separated by commas, semicolons or spaces. */
const ccList = (value: string) => [...new Set(value.split(/[\s,;]+/).filter((a) => a !== ''))]

type Topic = ResponseOf<'/api/v1/topics'>['items'][number]
import { KbSuggestions, useDeflection } from './KbSuggestions.tsx'
import type { ResponseOf } from '../../api/types.ts'

export function NewTicket() {
  const [subject, setSubject] = useState('')
  const [message, setMessage] = useState<RichText>(EMPTY_RICH_TEXT)
  const [cc, setCc] = useState('')
  const files = useAttachments()
  const [checked, setChecked] = useState<FieldErrors>({})
  const [topicId, setTopicId] = useState('')
  const [values, setValues] = useState<Record<string, FieldValue | null>>({})
  const topics = useQuery({ queryKey: ['topics'], queryFn: () => get<{ items: Topic[] }>('/api/v1/topics') })
  const defs = useQuery({
    queryKey: ['custom-fields'],
    queryFn: () => get<{ items: FieldDef[] }>('/api/v1/custom-fields'),
  })
  const topic = topics.data?.items.find((t) => String(t.id) === topicId)
  // The topic's form: its fields that customers may see and fill in, in the topic's order.
  const formFields = (topic?.fields ?? [])
    .map((key) => defs.data?.items.find((d) => d.key === key && d.editable))
    .filter((d): d is FieldDef => d !== undefined)
  const filled = Object.fromEntries(
    formFields.flatMap((d) => {
      const v = values[d.key]
      return v === null || v === undefined || v === '' ? [] : [[d.key, v]]
    }),
  )
  const navigate = useNavigate()
  const client = useQueryClient()
  const deflection = useDeflection()
  // One key per form: a double submit or a retry after a lost response opens one ticket, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID())
  const create = useMutation({
    mutationFn: () =>
      api<{ ticket: Ticket }>(
        'POST',
        '/api/v1/tickets',
        {
          subject,
          ...newTicketPayload(message),
          ...(files.ids.length > 0 ? { attachments: files.ids } : {}),
          ...(topic ? { topicId: topic.id } : {}),
          ...(Object.keys(filled).length > 0 ? { fields: filled } : {}),
          ...(ccList(cc).length > 0 ? { collaborators: ccList(cc) } : {}),
        },
        { 'idempotency-key': idempotencyKey },
      ),
    onSuccess: async ({ ticket }) => {
      deflection.markSubmitted()
      await client.invalidateQueries({ queryKey: ['tickets'] })
      void navigate(`/portal/tickets/${ticket.number}`, { state: { created: true } })
    },
  })
  useEffect(() => {
    document.title = 'Open a new ticket · Switchboard'
  }, [])
  const serverErrors = fieldErrorsOf(create.error, LABELS)
  const errors: FieldErrors = { ...serverErrors, ...checked }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const found: FieldErrors = {}
    const s = checkText('Subject', subject, SUBJECT_MAX)
    const m = checkText('Message', message.text, 200_000)
    if (s) found.subject = s
    if (m) found.message = m
    const copied = ccList(cc)
    const notAddress = copied.find((a) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a))
    if (notAddress) found.collaborators = `CC: “${notAddress}” is not an email address`
    else if (copied.length > CC_MAX) found.collaborators = `CC: at most ${CC_MAX} addresses`
    for (const d of formFields)
      if (d.requiredOnCreate && filled[d.key] === undefined)
        found[`field.${d.key}`] = `${d.label} is required`
    setChecked(found)
    if (Object.keys(found).length === 0) create.mutate()
  }
  const describedBy = (key: string, ...more: string[]) =>
    [errors[key] ? `${key}-error` : '', ...more].filter(Boolean).join(' ') || undefined
  return (
    <main className="page narrow">
      <p>
        <Link to="/portal">← My tickets</Link>
      </p>
      <h1>Open a new ticket</h1>
      <form onSubmit={submit} className="card" noValidate {...files.formHandlers}>
        {create.isError && Object.keys(serverErrors).length === 0 && <ErrorBox error={create.error} />}
        {(topics.data?.items.length ?? 0) > 0 && (
          <label className="field">
            <span>Help topic</span>
            <select
              value={topicId}
              onChange={(e) => {
                setTopicId(e.target.value)
                if (create.isError) create.reset()
              }}
            >
              <option value="">General question</option>
              {topics.data?.items.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Subject</span>
          <input
            value={subject}
            aria-invalid={errors.subject ? true : undefined}
            aria-describedby={describedBy(
              'subject',
              counterShown(subject.length, SUBJECT_MAX) ? 'subject-counter' : '',
            )}
            onChange={(e) => {
              setSubject(e.target.value)
              if (create.isError) create.reset()
              setChecked(({ subject: _, ...rest }) => rest)
            }}
          />
          <CharCounter id="subject-counter" length={subject.length} max={SUBJECT_MAX} />
          <FieldError id="subject-error" message={errors.subject} />
        </label>
        <KbSuggestions subject={subject} onShown={deflection.shown} />
        <div className="field">
          <RichTextEditor
            label="Message"
            className="tall"
            invalid={Boolean(errors.message)}
            onChange={(value) => {
              setMessage(value)
              if (create.isError) create.reset()
              setChecked(({ message: _, ...rest }) => rest)
            }}
          />
          <FieldError id="message-error" message={errors.message} />
        </div>
        {formFields.map((d) => (
          <label key={d.key} className={d.type === 'checkbox' ? 'field check' : 'field'}>
            <span>
              {d.label}
              {d.requiredOnCreate ? ' (required)' : ''}
            </span>
            <FieldInput
              def={d}
              value={values[d.key] ?? undefined}
              onChange={(v) => {
                setValues((old) => ({ ...old, [d.key]: v }))
                setChecked(({ [`field.${d.key}`]: _, ...rest }) => rest)
                if (create.isError) create.reset()
              }}
            />
            <FieldError id={`field-${d.key}-error`} message={errors[`field.${d.key}`]} />
          </label>
        ))}
        <AttachmentPicker state={files} />
        <label className="field">
          <span>CC (optional)</span>
          <input
            type="text"
            inputMode="email"
            autoComplete="off"
            value={cc}
            placeholder="colleague@example.com, manager@example.com"
            aria-invalid={errors.collaborators ? true : undefined}
            aria-describedby={describedBy('collaborators', 'cc-hint')}
            onChange={(e) => {
              setCc(e.target.value)
              if (create.isError) create.reset()
              setChecked(({ collaborators: _, ...rest }) => rest)
            }}
          />
          <small id="cc-hint" className="muted">
            People to keep informed: they can read this ticket and get our replies by email. Up to {CC_MAX},
            separated by commas.
          </small>
          <FieldError id="collaborators-error" message={errors.collaborators} />
        </label>
        <button type="submit" disabled={create.isPending || files.uploading}>
          {create.isPending ? 'Submitting…' : 'Submit ticket'}
        </button>
      </form>
    </main>
  )
}
