// The agent's ticket view: the facts, who else is here, the update form (one PATCH), the thread and the
// composer. A save based on a stale version shows what changed and lets the agent re-apply: never overwrite.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Link, useParams } from 'react-router'
import {
  api,
  ApiError,
  get,
  PRIORITIES,
  type Agent,
  type Collaborator,
  type Ref,
  type Status,
  type Submitter,
  type Ticket,
  type TicketDetail,
} from '../../api.ts'
import { usePresence } from '../../live.ts'
import { nextDue, SlaBadge, useNow } from '../../sla.tsx'
import { ErrorBox, Loading } from '../../ui.tsx'
import { RelativeTime } from '../../time.tsx'
import { useCurrentUser } from '../Shell.tsx'
import { Thread } from '../Thread.tsx'
import { AttachmentPicker, useAttachments } from '../Attachments.tsx'
import { ApplyMacro, TicketTags } from './TicketWork.tsx'
import { RichTextEditor, type RichTextEditorHandle } from '../../components/RichTextEditor.tsx'
import { EMPTY_RICH_TEXT, messagePayload, type RichText } from '../../components/richText.ts'
import { RelationsPanel } from '../../ticket/RelationsPanel.tsx'
import { TasksPanel } from '../../ticket/TasksPanel.tsx'
import { FieldsCard, FollowCard, RequesterPanel, SnoozeCard, TeamCard } from './TicketSide.tsx'
import { useSignatures } from './SignaturePage.tsx'
import { InsertArticle } from './InsertArticle.tsx'
import type { ResponseOf } from '../../api/types.ts'
import { SatisfactionCard } from '../../insight/satisfaction.tsx'
import { TimeCard, TimeSpentField, useTimeSpent } from '../../insight/time.tsx'

interface Draft {
  priority?: string
  status?: string
  departmentId?: number
  assigneeAgentId?: number | null
}

const FIELDS = ['priority', 'status', 'departmentId', 'assigneeAgentId'] as const

export function TicketPage() {
  const { number = '' } = useParams()
  const me = useCurrentUser()
  const path = `/api/v1/tickets/${encodeURIComponent(number)}`
  const detail = useQuery({ queryKey: ['ticket', number], queryFn: () => get<TicketDetail>(path) })
  const statuses = useQuery({
    queryKey: ['statuses'],
    queryFn: () => get<{ items: Status[] }>('/api/v1/statuses'),
    staleTime: 300_000,
  })
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => get<{ items: Ref[] }>('/api/v1/departments'),
    staleTime: 300_000,
  })
  const agents = useQuery({
    queryKey: ['agents'],
    queryFn: () => get<{ items: Agent[] }>('/api/v1/agents'),
    staleTime: 300_000,
  })
  // Which entries came by email with their raw message kept: those get a "View original email" link.
  const mail = useQuery({
    queryKey: ['ticket-mail', number],
    queryFn: () => get<{ entries: { entryId: number; original: boolean }[] }>(`${path}/mail`),
  })
  const typing = usePresenceReports(number)
  const subject = detail.data?.ticket.subject
  useEffect(() => {
    if (subject) document.title = `${subject} · Switchboard`
  }, [subject])

  if (detail.isPending) return <Loading what="Loading the ticket" />
  if (detail.isError)
    return (
      <main className="page">
        <ErrorBox error={detail.error} retry={() => void detail.refetch()} />
        <Link to="/agent/queues/open">Back to the queue</Link>
      </main>
    )
  const { ticket, thread, abilities } = detail.data
  const submitter = detail.data.events?.find((e) => e.type === 'ticket.created')?.after?.submitter as
    Submitter | undefined
  return (
    <main className="page ticket">
      <h1>{ticket.subject}</h1>
      <Presence number={number} myId={me.user.id} />
      <dl className="facts">
        <Fact term="Number">#{ticket.number}</Fact>
        <Fact term="Requester">
          {ticket.requester.name} <span className="muted">&lt;{ticket.requester.email}&gt;</span>
        </Fact>
        {submitter?.phone && <Fact term="Phone">{submitter.phone}</Fact>}
        {submitter?.ip && <Fact term="Submitted from">{submitter.ip}</Fact>}
        {submitter?.notes && <Fact term="Notes">{submitter.notes}</Fact>}
        <Fact term="Status">
          <span className={`status status-${ticket.statusCategory}`}>{ticket.statusName}</span>
        </Fact>
        <Fact term="Priority">
          <span className={`priority priority-${ticket.priority}`}>
            {PRIORITIES.find((p) => p.key === ticket.priority)?.name}
          </span>
        </Fact>
        <Fact term="Department">{ticket.department.name}</Fact>
        <Fact term="Assignee">
          {[ticket.assigneeAgent?.name, ticket.assigneeTeam && `Team ${ticket.assigneeTeam.name}`]
            .filter(Boolean)
            .join(' · ') || 'Unassigned'}
        </Fact>
        <Fact term="SLA">
          <SlaText sla={ticket.sla} />
        </Fact>
        <Fact term="Last activity">
          <RelativeTime iso={ticket.lastActivityAt} />
        </Fact>
      </dl>
      <div className="ticket-columns">
        <section aria-labelledby="thread-title" className="thread-column">
          <h2 id="thread-title">Thread</h2>
          <Thread
            entries={thread}
            number={ticket.number}
            events={detail.data.events}
            originalHref={(id) =>
              mail.data?.entries.some((m) => m.entryId === id && m.original)
                ? `${path}/messages/${id}/raw`
                : undefined
            }
          />
          <Composer
            number={number}
            departmentId={ticket.departmentId}
            canReply={abilities.reply}
            canNote={abilities.note}
            canLogTime={abilities.edit}
            onTyping={typing}
          />
        </section>
        <div className="side-column">
          <RequesterPanel ticket={ticket} organization={detail.data.requesterOrganization ?? null} />
          <SatisfactionCard number={ticket.number} />
          <UpdateForm
            key={ticket.number}
            ticket={ticket}
            abilities={abilities}
            statuses={statuses.data?.items ?? []}
            departments={departments.data?.items ?? []}
            agents={agents.data?.items ?? []}
            myId={me.user.id}
          />
          <TimeCard number={ticket.number} canLog={abilities.edit} />
          <TeamCard ticket={ticket} canAssign={abilities.assign} />
          <FollowCard detail={detail.data} />
          <Collaborators number={ticket.number} canEdit={abilities.edit} />
          <TicketTags ticket={ticket} tags={detail.data.tags} canEdit={abilities.edit} />
          <FieldsCard ticket={ticket} canEdit={abilities.edit} />
          <SnoozeCard ticket={ticket} canEdit={abilities.edit} />
          <ApplyMacro ticket={ticket} />
          <TasksPanel
            number={ticket.number}
            departmentId={ticket.departmentId}
            canEdit={abilities.edit}
            canClose={abilities.close}
          />
          <RelationsPanel detail={detail.data} />
        </div>
      </div>
    </main>
  )
}

/**
 * Who is copied on the ticket: they see it and receive its public replies. Agents who may edit the ticket add
 * people by email address (a new address becomes a customer account, as in osTicket) and remove them.
 */
function Collaborators({ number, canEdit }: { number: string; canEdit: boolean }) {
  const client = useQueryClient()
  const path = `/api/v1/tickets/${encodeURIComponent(number)}/collaborators`
  const list = useQuery({
    queryKey: ['collaborators', number],
    queryFn: () => get<{ items: Collaborator[] }>(path),
  })
  const [email, setEmail] = useState('')
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['collaborators', number] })
    await client.invalidateQueries({ queryKey: ['ticket', number] })
  }
  const add = useMutation({
    mutationFn: (address: string) => api<{ collaborator: Collaborator }>('POST', path, { email: address }),
    onSuccess: async () => {
      setEmail('')
      await refresh()
    },
  })
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `${path}/${id}`),
    onSuccess: refresh,
  })
  const items = list.data?.items ?? []
  return (
    <section className="card collaborators" aria-labelledby="collaborators-title">
      <h2 id="collaborators-title">Collaborators</h2>
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {remove.isError && <ErrorBox error={remove.error} />}
      {list.isSuccess && items.length === 0 && <p className="muted">Nobody is copied on this ticket.</p>}
      {items.length > 0 && (
        <ul aria-label="Collaborators">
          {items.map((c) => (
            <li key={c.id}>
              <span>
                {c.name} <span className="muted">&lt;{c.email}&gt;</span>
              </span>
              {canEdit && (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove ${c.email}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(c.id)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault()
            if (email.trim() !== '') add.mutate(email.trim())
          }}
        >
          {add.isError && <ErrorBox error={add.error} />}
          <label className="field">
            <span>Add collaborator by email</span>
            <input
              type="text"
              inputMode="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <button type="submit" disabled={add.isPending || email.trim() === ''}>
            {add.isPending ? 'Adding…' : 'Add collaborator'}
          </button>
        </form>
      )}
    </section>
  )
}

function SlaText({ sla }: { sla: Ticket['sla'] }) {
  const now = useNow()
  if (!sla?.plan) return <>No SLA plan</>
  if (sla.finishedAt)
    return (
      <>
        {sla.plan.name} · <SlaBadge sla={sla} now={now} />{' '}
        <span className="muted">
          (stopped <RelativeTime iso={sla.finishedAt} />)
        </span>
      </>
    )
  const due = nextDue(sla)
  return (
    <>
      {sla.plan.name} · <SlaBadge sla={sla} now={now} />
      {due && (
        <span className="muted">
          {' '}
          (due <RelativeTime iso={due} />)
        </span>
      )}
    </>
  )
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

/** Tells the server this agent is viewing (every 20 s) or typing, and that they left when the page closes. */
function usePresenceReports(number: string): () => void {
  const typingUntil = useRef(0)
  useEffect(() => {
    const path = `/api/v1/tickets/${encodeURIComponent(number)}/presence`
    const report = (state: 'viewing' | 'typing' | 'left') =>
      api('POST', path, { state }).catch(() => undefined)
    void report('viewing')
    const timer = setInterval(() => {
      void report(Date.now() < typingUntil.current ? 'typing' : 'viewing')
    }, 20_000)
    const onTyping = () => {
      const wasTyping = Date.now() < typingUntil.current
      typingUntil.current = Date.now() + 5_000
      if (!wasTyping) void report('typing')
      setTimeout(() => {
        if (Date.now() >= typingUntil.current) void report('viewing')
      }, 5_100)
    }
    window.addEventListener(`switchboard:typing:${number}`, onTyping)
    return () => {
      clearInterval(timer)
      window.removeEventListener(`switchboard:typing:${number}`, onTyping)
      void report('left')
    }
  }, [number])
  return () => window.dispatchEvent(new Event(`switchboard:typing:${number}`))
}

function Presence({ number, myId }: { number: string; myId: number }) {
  const others = usePresence(number).filter((v) => v.id !== myId)
  return (
    <p className="presence" role="status">
      {others
        .map((v) => `${v.name} is ${v.state === 'typing' ? 'typing a reply' : 'viewing this ticket'}`)
        .join('. ')}
    </p>
  )
}

function Composer(props: {
  number: string
  departmentId: number
  canReply: boolean
  canNote: boolean
  canLogTime: boolean
  onTyping: () => void
}) {
  const [body, setBody] = useState<RichText>(EMPTY_RICH_TEXT)
  // Public replies carry the agent's signature and the department's (the server adds them); one tick leaves
  // them out of this reply.
  const signatures = useSignatures()
  const hasSignature = Boolean(
    signatures.data?.signature || signatures.data?.departments.some((d) => d.id === props.departmentId),
  )
  const [withSignature, setWithSignature] = useState(true)
  const [mode, setMode] = useState<'reply' | 'note'>('reply')
  const field = useRef<RichTextEditorHandle>(null)
  const client = useQueryClient()
  const files = useAttachments()
  const spent = useTimeSpent(props.number)
  const post = useMutation({
    mutationFn: (internal: boolean) =>
      api<{ entry: { id: number } }>('POST', `/api/v1/tickets/${encodeURIComponent(props.number)}/messages`, {
        ...messagePayload(body),
        internal,
        ...(files.ids.length > 0 ? { attachments: files.ids } : {}),
        ...(internal || withSignature ? {} : { signature: false }),
      }),
    onSuccess: async ({ entry }) => {
      field.current?.clear()
      files.clear()
      await spent.logWith(entry.id)
      // A reply can move the ticket (a customer's status, "answered"): recount the queues as well.
      await Promise.all([
        client.invalidateQueries({ queryKey: ['ticket', props.number] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
        client.invalidateQueries({ queryKey: ['tickets'] }),
      ])
    },
  })
  useEffect(() => {
    const onShortcut = (e: Event) => {
      const key = (e as CustomEvent<string>).detail
      if (key !== 'r' && key !== 'n') return
      setMode(key === 'n' ? 'note' : 'reply')
      field.current?.focus()
    }
    window.addEventListener('switchboard:shortcut', onShortcut)
    return () => window.removeEventListener('switchboard:shortcut', onShortcut)
  }, [])
  return (
    <form
      className={`card composer mode-${mode}`}
      onSubmit={(e: FormEvent) => e.preventDefault()}
      aria-label="Write on the thread"
      {...files.formHandlers}
    >
      {post.isError && <ErrorBox error={post.error} />}
      <RichTextEditor
        ref={field}
        label="Message"
        placeholder={mode === 'note' ? 'Internal note: only agents see it' : 'Reply to the customer'}
        onChange={(value) => {
          setBody(value)
          props.onTyping()
        }}
        // Ctrl+Enter (⌘+Enter) sends what the composer is in the mode of: a reply, or a note after `n`.
        onSubmitShortcut={() => {
          if (!body.empty && !files.uploading) post.mutate(mode === 'note' || !props.canReply)
        }}
      />
      <AttachmentPicker state={files} />
      <CannedPicker
        number={props.number}
        onInsert={(text) => {
          field.current?.insertText(text)
          field.current?.focus()
        }}
      />
      {hasSignature && props.canReply && (
        <label className="field check">
          <input
            type="checkbox"
            checked={withSignature}
            onChange={(e) => setWithSignature(e.target.checked)}
          />
          <span>
            Add my signature <span className="muted">(to replies, not notes)</span>
          </span>
        </label>
      )}
      <InsertArticle
        onInsert={(text) => {
          field.current?.insertText(text)
          field.current?.focus()
        }}
      />
      {props.canLogTime && <TimeSpentField state={spent} />}
      <div className="actions">
        <button
          type="button"
          disabled={!props.canReply || post.isPending || files.uploading || body.empty || spent.invalid}
          onClick={() => post.mutate(false)}
        >
          Send reply
        </button>
        <button
          type="button"
          className="note-button"
          disabled={!props.canNote || post.isPending || files.uploading || body.empty || spent.invalid}
          onClick={() => post.mutate(true)}
        >
          Add internal note
        </button>
      </div>
    </form>
  )
}

type Canned = ResponseOf<'/api/v1/canned-responses'>['items'][number]

/** "Insert canned response": lists the canned responses, fills the chosen one's variables for this ticket. */
function CannedPicker({ number, onInsert }: { number: string; onInsert: (text: string) => void }) {
  const list = useQuery({
    queryKey: ['canned-responses'],
    queryFn: () => get<{ items: Canned[] }>('/api/v1/canned-responses'),
  })
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const items = list.data?.items ?? []
  if (items.length === 0) return null
  return (
    <>
      {error !== null && <ErrorBox error={error} />}
      <label className="field">
        <span>Insert canned response</span>
        <select
          value=""
          disabled={busy}
          onChange={(e) => {
            const id = e.target.value
            if (!id) return
            setBusy(true)
            setError(null)
            get<{ body: string }>(
              `/api/v1/tickets/${encodeURIComponent(number)}/canned-responses/${encodeURIComponent(id)}`,
            )
              .then((c) => onInsert(c.body))
              .catch((err: unknown) => setError(err))
              .finally(() => setBusy(false))
          }}
        >
          <option value="">Choose a canned response…</option>
          {items.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
    </>
  )
}

interface UpdateProps {
  ticket: Ticket
  abilities: TicketDetail['abilities']
  statuses: Status[]
  departments: Ref[]
  agents: Agent[]
  myId: number
}

function describe(field: (typeof FIELDS)[number], t: Ticket): string {
  switch (field) {
    case 'priority':
      return PRIORITIES.find((p) => p.key === t.priority)?.name ?? t.priority
    case 'status':
      return t.statusName
    case 'departmentId':
      return t.department.name
    case 'assigneeAgentId':
      return t.assigneeAgent?.name ?? 'Unassigned'
  }
}
const FIELD_LABEL = {
  priority: 'Priority',
  status: 'Status',
  departmentId: 'Department',
  assigneeAgentId: 'Assignee',
}

function UpdateForm({ ticket, abilities, statuses, departments, agents, myId }: UpdateProps) {
  const client = useQueryClient()
  const [draft, setDraft] = useState<Draft>({})
  const [note, setNote] = useState('')
  // The ticket as it was when the agent started editing: the version a save is based on.
  const [base, setBase] = useState<Ticket | null>(null)
  const [conflict, setConflict] = useState<Ticket | null>(null)
  const [saved, setSaved] = useState(false)

  const current: Required<Draft> = {
    priority: draft.priority ?? ticket.priority,
    status: draft.status ?? ticket.status,
    departmentId: draft.departmentId ?? ticket.departmentId,
    assigneeAgentId: draft.assigneeAgentId !== undefined ? draft.assigneeAgentId : ticket.assigneeAgentId,
  }
  const change = (patch: Draft) => {
    if (!base) setBase(ticket)
    setSaved(false)
    setDraft((d) => ({ ...d, ...patch }))
  }

  const save = useMutation({
    mutationFn: (input: { version: number; changes: Draft; note: string }) =>
      api<{ ticket: Ticket }>('PATCH', `/api/v1/tickets/${encodeURIComponent(ticket.number)}`, {
        version: input.version,
        ...input.changes,
        ...(input.note.trim() ? { note: input.note } : {}),
      }),
    onSuccess: async ({ ticket: updated }) => {
      client.setQueryData<TicketDetail>(['ticket', ticket.number], (old) =>
        old ? { ...old, ticket: updated } : old,
      )
      setDraft({})
      setNote('')
      setBase(null)
      setConflict(null)
      setSaved(true)
      // A transfer, assignment or status change moves the ticket between queues: recount them now, without
      // waiting for the live event (which no longer reaches an agent who cannot see the ticket after a transfer).
      await Promise.all([
        client.invalidateQueries({ queryKey: ['ticket', ticket.number] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
        client.invalidateQueries({ queryKey: ['tickets'] }),
      ])
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'version_conflict') {
        setConflict((error.body as { ticket: Ticket }).ticket)
      }
    },
  })

  /** Only the fields the agent changed, compared with the ticket they were looking at. */
  const changes = (from: Ticket): Draft => {
    const out: Draft = {}
    if (draft.priority !== undefined && draft.priority !== from.priority) out.priority = draft.priority
    if (draft.status !== undefined && draft.status !== from.status) out.status = draft.status
    if (draft.departmentId !== undefined && draft.departmentId !== from.departmentId)
      out.departmentId = draft.departmentId
    if (draft.assigneeAgentId !== undefined && draft.assigneeAgentId !== from.assigneeAgentId)
      out.assigneeAgentId = draft.assigneeAgentId
    return out
  }

  useEffect(() => {
    const onShortcut = (e: Event) => {
      if ((e as CustomEvent<string>).detail !== 'a' || !abilities.assign) return
      save.mutate({ version: ticket.version, changes: { assigneeAgentId: myId }, note: '' })
    }
    window.addEventListener('switchboard:shortcut', onShortcut)
    return () => window.removeEventListener('switchboard:shortcut', onShortcut)
  }, [abilities.assign, myId, save, ticket.version])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const from = base ?? ticket
    save.mutate({ version: from.version, changes: changes(from), note })
  }
  const reapply = () => {
    if (!conflict) return
    setBase(conflict)
    save.mutate({ version: conflict.version, changes: changes(conflict), note })
  }
  const discard = () => {
    setDraft({})
    setBase(null)
    setConflict(null)
    save.reset()
  }

  const members = agents.filter((a) => a.departments.some((d) => d.id === current.departmentId))
  if (ticket.assigneeAgent && !members.some((a) => a.id === ticket.assigneeAgentId))
    members.unshift({ ...ticket.assigneeAgent, email: '', departments: [] })
  const changedSince =
    conflict && base ? FIELDS.filter((f) => describe(f, base) !== describe(f, conflict)) : []

  return (
    <form className="card update" onSubmit={submit} aria-labelledby="update-title">
      <h2 id="update-title">Update</h2>
      {conflict && (
        <div className="conflict" role="alert">
          <p>
            <strong>Someone else changed this ticket while you were editing.</strong> Nothing of yours was
            saved.
          </p>
          {changedSince.length > 0 ? (
            <ul>
              {changedSince.map((f) => (
                <li key={f}>
                  {FIELD_LABEL[f]}: {base ? describe(f, base) : ''} → {describe(f, conflict)}
                </li>
              ))}
            </ul>
          ) : (
            <p>The thread or another detail changed.</p>
          )}
          <div className="actions">
            <button type="button" onClick={reapply} disabled={save.isPending}>
              Re-apply my changes
            </button>
            <button type="button" className="secondary" onClick={discard}>
              Discard my changes
            </button>
          </div>
        </div>
      )}
      {save.isError && !conflict && <ErrorBox error={save.error} />}
      {saved && !save.isPending && (
        <p className="notice" role="status">
          Saved.
        </p>
      )}
      <label className="field">
        <span>Priority</span>
        <select
          value={current.priority}
          disabled={!abilities.edit}
          onChange={(e) => change({ priority: e.target.value })}
        >
          {PRIORITIES.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Status</span>
        <select
          value={current.status}
          disabled={!abilities.edit && !abilities.close}
          onChange={(e) => change({ status: e.target.value })}
        >
          {(statuses.length ? statuses : [{ key: ticket.status, name: ticket.statusName, category: '' }]).map(
            (s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ),
          )}
        </select>
      </label>
      <label className="field">
        <span>Department</span>
        <select
          value={current.departmentId}
          disabled={!abilities.transfer}
          onChange={(e) => change({ departmentId: Number(e.target.value) })}
        >
          {(departments.length ? departments : [ticket.department]).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Assignee</span>
        <select
          value={current.assigneeAgentId ?? ''}
          disabled={!abilities.assign}
          onChange={(e) => change({ assigneeAgentId: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">Unassigned</option>
          {members.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Note</span>
        <textarea
          rows={3}
          value={note}
          placeholder="Why? (internal note, optional)"
          onChange={(e) => {
            if (!base) setBase(ticket)
            setNote(e.target.value)
          }}
        />
      </label>
      <button type="submit" disabled={save.isPending || conflict !== null}>
        {save.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  )
}
