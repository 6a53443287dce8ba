// What the account page's sections share: a busy flag and the server's message when a request fails, the
// current-password field, and a table's header row.
import { useState, type FormEvent } from 'react'
import { errorText, Field } from '../../ui.tsx'

export function useSubmit() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const run = async (e: FormEvent | undefined, action: () => Promise<void>) => {
    e?.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run }
}

export function Problem({ error }: { error: string | undefined }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null
}

/** "Your current password", which the server asks for before any change to the account's security. */
export function CurrentPassword({
  label = 'Current password',
  value,
  onChange,
}: {
  label?: string
  value: string
  onChange: (value: string) => void
}) {
  return (
    <Field label={label}>
      <input
        type="password"
        autoComplete="current-password"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  )
}

/** A table's header row: the column names, then an unnamed column of buttons. */
export function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((n) => (
          <th key={n} scope="col">
            {n}
          </th>
        ))}
        <th scope="col">
          <span className="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  )
}
