import { useState, type FormEvent } from 'react'
import { choices } from '@shared/choices.ts'
import { FIELD_TYPE_LABELS, FIELD_TYPES, hasOptions } from '@shared/customFields.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import { useAdminList, useAdminSave, type AdminCustomField, type CustomFieldType } from './adminApi.ts'

const BASE = '/api/v1/admin/custom-fields'

const TYPES = choices(FIELD_TYPES, FIELD_TYPE_LABELS)
const typeName = (type: string) => TYPES.find(([k]) => k === type)?.[1] ?? type
const yesNo = (v: boolean) => (v ? 'Yes' : 'No')

function shownTo(f: AdminCustomField): string {
  if (f.agentVisible && f.clientVisible) return 'Agents and customers'
  if (f.agentVisible) return 'Agents only'
  if (f.clientVisible) return 'Customers only'
  return 'Nobody'
}

export function CustomFieldsAdmin() {
  const list = useAdminList<AdminCustomField>(BASE)
  const save = useAdminSave(BASE)
  const [editing, setEditing] = useState<AdminCustomField | null>(null)
  const [key, setKey] = useState('')
  const [label, setLabel] = useState('')
  const [type, setType] = useState<CustomFieldType>('text')
  const [options, setOptions] = useState('')
  const [clientVisible, setClientVisible] = useState(true)
  const [clientEditable, setClientEditable] = useState(true)
  const [agentVisible, setAgentVisible] = useState(true)
  const [requiredOnCreate, setRequiredOnCreate] = useState(false)
  const [requiredToClose, setRequiredToClose] = useState(false)
  const [position, setPosition] = useState('0')

  const edit = (f: AdminCustomField | null) => {
    setEditing(f)
    setKey(f?.key ?? '')
    setLabel(f?.label ?? '')
    setType(f?.type ?? 'text')
    setOptions(f?.options.join('\n') ?? '')
    setClientVisible(f?.clientVisible ?? true)
    setClientEditable(f?.clientEditable ?? true)
    setAgentVisible(f?.agentVisible ?? true)
    setRequiredOnCreate(f?.requiredOnCreate ?? false)
    setRequiredToClose(f?.requiredToClose ?? false)
    setPosition(String(f?.position ?? 0))
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body: Record<string, unknown> = {
      label,
      clientVisible,
      clientEditable,
      agentVisible,
      requiredOnCreate,
      requiredToClose,
      position: Number(position) || 0,
    }
    // Key and type are fixed once a field exists (the server answers key_fixed / type_fixed).
    if (!editing) Object.assign(body, { key, type })
    if (hasOptions(type))
      body.options = options
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean)
    save.mutate({ id: editing?.id, body }, { onSuccess: () => edit(null) })
  }

  return (
    <section aria-labelledby="fields-title">
      <h2 id="fields-title">Custom fields</h2>
      <p className="muted">
        Extra fields on tickets. A field is asked for on the new-ticket form when a help topic lists it; key
        and type cannot change once the field exists.
      </p>
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit ${editing.label}` : 'New custom field'}
      >
        <label className="field">
          <span>Key</span>
          <input
            required
            disabled={editing !== null}
            pattern="[a-z][a-z0-9_]{0,63}"
            title="lower-case letters, digits and _, starting with a letter"
            maxLength={64}
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Label</span>
          <input required maxLength={100} value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label className="field">
          <span>Type</span>
          <select
            disabled={editing !== null}
            value={type}
            onChange={(e) => setType(e.target.value as CustomFieldType)}
          >
            {TYPES.map(([k, n]) => (
              <option key={k} value={k}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Position</span>
          <input
            type="number"
            min={0}
            max={1000000}
            value={position}
            onChange={(e) => setPosition(e.target.value)}
          />
        </label>
        {hasOptions(type) && (
          <label className="field wide">
            <span>Options (one a line)</span>
            <textarea required rows={4} value={options} onChange={(e) => setOptions(e.target.value)} />
          </label>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={agentVisible} onChange={(e) => setAgentVisible(e.target.checked)} />
          <span>Shown to agents</span>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={clientVisible}
            onChange={(e) => setClientVisible(e.target.checked)}
          />
          <span>Shown to customers</span>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={clientEditable}
            onChange={(e) => setClientEditable(e.target.checked)}
          />
          <span>Customers can fill it in (if shown to them)</span>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={requiredOnCreate}
            onChange={(e) => setRequiredOnCreate(e.target.checked)}
          />
          <span>Required on create</span>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={requiredToClose}
            onChange={(e) => setRequiredToClose(e.target.checked)}
          />
          <span>Required to close</span>
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending}>
            {editing ? 'Save custom field' : 'Create custom field'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {list.isPending && <Loading what="Loading custom fields" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Label</th>
                <th scope="col">Type</th>
                <th scope="col">Options</th>
                <th scope="col">Shown to</th>
                <th scope="col">Customers fill in</th>
                <th scope="col">Required on create</th>
                <th scope="col">Required to close</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((f) => (
                <tr key={f.id} className={f.isActive ? '' : 'disabled-row'}>
                  <td>{f.key}</td>
                  <td>{f.label}</td>
                  <td>{typeName(f.type)}</td>
                  <td>{hasOptions(f.type) ? f.options.join(', ') : '—'}</td>
                  <td>{shownTo(f)}</td>
                  <td>{yesNo(f.clientVisible && f.clientEditable)}</td>
                  <td>{yesNo(f.requiredOnCreate)}</td>
                  <td>{yesNo(f.requiredToClose)}</td>
                  <ActiveCell active={f.isActive} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${f.label}`}
                      onClick={() => edit(f)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${f.isActive ? 'Disable' : 'Enable'} ${f.label}`}
                      onClick={() => save.mutate({ id: f.id, body: { isActive: !f.isActive } })}
                    >
                      {f.isActive ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
