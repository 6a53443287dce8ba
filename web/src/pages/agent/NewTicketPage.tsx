// An agent opens a ticket for a caller (issue 11): the requester found by name or email, or a new customer's
// name and email (the server finds or creates the account), then department, priority, subject and message.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, get, PRIORITIES, type Ref, type Ticket } from '../../api.ts'
import {
  CharCounter,
  checkText,
  counterShown,
  FieldError,
  fieldErrorsOf,
  type FieldErrors,
} from '../../formErrors.tsx'
import { ErrorBox } from '../../ui.tsx'
import { useCurrentUser } from '../Shell.tsx'
import type { ResponseOf } from '../../api/types.ts'

const SUBJECT_MAX = 255
const LABELS = {
  subject: 'Subject',
  message: 'Message',
  requester: 'Requester email',
  departmentId: 'Department',
}

type Customer = ResponseOf<'/api/v1/customers'>['items'][number]

export function NewTicketPage() {
  const me = useCurrentUser()
  const navigate = useNavigate()
  const client = useQueryClient()
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [departmentId, setDepartmentId] = useState('')
  const [priority, setPriority] = useState('normal')
  const [subject, setSubject] = useState('')
  const [message, setMessage] = useState('')
  const [checked, setChecked] = useState<FieldErrors>({})
  const [idempotencyKey] = useState(() => crypto.randomUUID())
  useEffect(() => {
    document.title = 'New ticket · Switchboard'
  }, [])

  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => get<{ items: Ref[] }>('/api/v1/departments'),
  })
  // Only departments where the agent's role may open tickets: the server refuses the others.
  const mine = (departments.data?.items ?? []).filter((d) =>
    me.departments.some((m) => m.id === d.id && m.permissions.includes('ticket.create')),
  )
  const department = departmentId || String(mine[0]?.id ?? '')
  const term = email.trim()
  const matches = useQuery({
    queryKey: ['customers', term],
    queryFn: () => get<{ items: Customer[] }>(`/api/v1/customers?q=${encodeURIComponent(term)}`),
    enabled: term.length >= 2,
    staleTime: 30_000,
  })
  const known = (matches.data?.items ?? []).find((c) => c.email.toLowerCase() === term.toLowerCase())

  const create = useMutation({
    mutationFn: () =>
      api<{ ticket: Ticket }>(
        'POST',
        '/api/v1/tickets',
        {
          subject,
          message,
          priority,
          ...(department ? { departmentId: Number(department) } : {}),
          requester: { email: term, ...(!known && name.trim() ? { name: name.trim() } : {}) },
        },
        { 'idempotency-key': idempotencyKey },
      ),
    onSuccess: async ({ ticket }) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['tickets'] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
      ])
      void navigate(`/agent/tickets/${ticket.number}`)
    },
  })
  const serverErrors = fieldErrorsOf(create.error, LABELS)
  const errors: FieldErrors = { ...serverErrors, ...checked }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const found: FieldErrors = {}
    if (!/^[^\s@]+@[^\s@]+$/.test(term)) found.requester = 'Requester email is not a valid email address'
    const s = checkText('Subject', subject, SUBJECT_MAX)
    const m = checkText('Message', message, 200_000)
    if (s) found.subject = s
    if (m) found.message = m
    setChecked(found)
    if (Object.keys(found).length === 0) create.mutate()
  }
  const edited = (key: string) => {
    setChecked(({ [key]: _, ...rest }) => rest)
    if (create.isError) create.reset()
  }
  const describedBy = (key: string, extra = '') =>
    [errors[key] ? `new-${key}-error` : '', extra].filter(Boolean).join(' ') || undefined

  return (
    <main className="page narrow" aria-labelledby="new-ticket-title">
      <p>
        <Link to="/agent/queues/open">← Queues</Link>
      </p>
      <h1 id="new-ticket-title">New ticket</h1>
      <form className="card" onSubmit={submit} noValidate>
        {create.isError && Object.keys(serverErrors).length === 0 && <ErrorBox error={create.error} />}
        <fieldset>
          <legend>Requester</legend>
          <label className="field">
            <span>Requester email</span>
            <input
              type="email"
              list="customer-matches"
              autoComplete="off"
              value={email}
              aria-invalid={errors.requester ? true : undefined}
              aria-describedby={describedBy('requester', 'requester-hint')}
              onChange={(e) => {
                setEmail(e.target.value)
                edited('requester')
              }}
            />
            <datalist id="customer-matches">
              {(matches.data?.items ?? []).map((c) => (
                <option key={c.id} value={c.email}>
                  {c.name}
                  {c.organization ? ` (${c.organization.name})` : ''}
                </option>
              ))}
            </datalist>
            <small id="requester-hint" className="muted" aria-live="polite">
              {known
                ? `Existing customer: ${known.name}${known.organization ? `, ${known.organization.name}` : ''}.`
                : 'Type a name or email to find a customer, or a new address to add one.'}
            </small>
            <FieldError id="new-requester-error" message={errors.requester} />
          </label>
          {!known && (
            <label className="field">
              <span>Name (new customer)</span>
              <input value={name} maxLength={128} onChange={(e) => setName(e.target.value)} />
            </label>
          )}
        </fieldset>
        <div className="inline-form">
          <label className="field">
            <span>Department</span>
            <select value={department} onChange={(e) => setDepartmentId(e.target.value)}>
              {mine.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Priority</span>
            <select value={priority} onChange={(e) => setPriority(e.target.value)}>
              {PRIORITIES.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span>Subject</span>
          <input
            value={subject}
            aria-invalid={errors.subject ? true : undefined}
            aria-describedby={describedBy(
              'subject',
              counterShown(subject.length, SUBJECT_MAX) ? 'new-subject-counter' : '',
            )}
            onChange={(e) => {
              setSubject(e.target.value)
              edited('subject')
            }}
          />
          <CharCounter id="new-subject-counter" length={subject.length} max={SUBJECT_MAX} />
          <FieldError id="new-subject-error" message={errors.subject} />
        </label>
        <label className="field">
          <span>Message</span>
          <textarea
            rows={8}
            value={message}
            aria-invalid={errors.message ? true : undefined}
            aria-describedby={describedBy('message')}
            onChange={(e) => {
              setMessage(e.target.value)
              edited('message')
            }}
          />
          <FieldError id="new-message-error" message={errors.message} />
        </label>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create ticket'}
        </button>
      </form>
    </main>
  )
}
