// The account's own security: change the password, and (agents) turn two-factor sign-in on or off. Turning it
// on signs every other session out; turning it off needs the password and a current code, as the server
// demands (docs/SECURITY.md). Wrong passwords count in the sign-in throttle, so the server's message is shown.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { api } from '../api.ts'
import { errorText, Field } from '../ui.tsx'
import { useCurrentUser } from './Shell.tsx'

/** Runs a form's request with a busy flag and the server's error message. */
function useSubmit() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const run = async (e: FormEvent, action: () => Promise<void>) => {
    e.preventDefault()
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

function Problem({ error }: { error: string | undefined }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null
}

export function SecurityPage() {
  const me = useCurrentUser()
  useEffect(() => {
    document.title = 'Security · Switchboard'
  }, [])
  return (
    <main className="page">
      <h1>Security</h1>
      <ChangePassword />
      {me.user.type === 'agent' && (me.twoFactorEnabled ? <TurnOffTwoFactor /> : <TurnOnTwoFactor />)}
    </main>
  )
}

function ChangePassword() {
  const [currentPassword, setCurrent] = useState('')
  const [newPassword, setNew] = useState('')
  const [done, setDone] = useState(false)
  const { busy, error, run } = useSubmit()
  const submit = (e: FormEvent) =>
    run(e, async () => {
      await api('POST', '/api/v1/auth/password', { currentPassword, newPassword })
      setCurrent('')
      setNew('')
      setDone(true)
    })
  return (
    <form className="card" aria-labelledby="password-title" onSubmit={(e) => void submit(e)}>
      <h2 id="password-title">Password</h2>
      <Problem error={error} />
      {done && <p role="status">Your password is changed. Every other session and access token has ended.</p>}
      <Field label="Current password">
        <input
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field label="New password (at least 10 characters)">
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Change password'}
      </button>
    </form>
  )
}

function TurnOnTwoFactor() {
  const queryClient = useQueryClient()
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string }>()
  const [code, setCode] = useState('')
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>()
  const { busy, error, run } = useSubmit()
  const start = (e: FormEvent) =>
    run(e, async () => {
      setEnrolment(await api('POST', '/api/v1/auth/two-factor/enrol', {}))
    })
  const confirm = (e: FormEvent) =>
    run(e, async () => {
      const res = await api<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/two-factor/confirm', { code })
      setRecoveryCodes(res.recoveryCodes)
    })

  if (recoveryCodes)
    return (
      <section className="card" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">Two-factor sign-in</h2>
        <p role="status">
          Two-factor sign-in is on. Every other session and access token of your account has ended.
        </p>
        <p>
          Keep these recovery codes somewhere safe. Each works once, instead of a code from the app. They are
          shown only now.
        </p>
        <ul aria-label="Recovery codes" className="recovery-codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: ['me'] })}>
          I have saved them
        </button>
      </section>
    )
  if (!enrolment)
    return (
      <form className="card" aria-labelledby="two-factor-title" onSubmit={(e) => void start(e)}>
        <h2 id="two-factor-title">Two-factor sign-in</h2>
        <p>Off. With it on, signing in also asks for a code from an authenticator app on your phone.</p>
        <Problem error={error} />
        <button type="submit" disabled={busy}>
          Turn on two-factor sign-in
        </button>
      </form>
    )
  return (
    <form className="card" aria-labelledby="two-factor-title" onSubmit={(e) => void confirm(e)}>
      <h2 id="two-factor-title">Two-factor sign-in</h2>
      <p>
        Add this key to your authenticator app (or open the link on your phone), then type the code it shows.
      </p>
      <p>
        Key: <code aria-label="Secret key">{enrolment.secret}</code>
      </p>
      <p>
        <a href={enrolment.otpauthUrl}>Open in an authenticator app</a>
      </p>
      <Problem error={error} />
      <Field label="Code from the app">
        <input
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={busy}>
        Confirm and turn on
      </button>
    </form>
  )
}

function TurnOffTwoFactor() {
  const queryClient = useQueryClient()
  const [currentPassword, setCurrent] = useState('')
  const [code, setCode] = useState('')
  const { busy, error, run } = useSubmit()
  const submit = (e: FormEvent) =>
    run(e, async () => {
      await api('POST', '/api/v1/auth/two-factor/disable', { currentPassword, code })
      await queryClient.invalidateQueries({ queryKey: ['me'] })
    })
  return (
    <form className="card" aria-labelledby="two-factor-title" onSubmit={(e) => void submit(e)}>
      <h2 id="two-factor-title">Two-factor sign-in</h2>
      <p>On. To turn it off, give your password and a current code from the app (or a recovery code).</p>
      <Problem error={error} />
      <Field label="Current password">
        <input
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field label="Code from the app, or a recovery code">
        <input autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        Turn off two-factor sign-in
      </button>
    </form>
  )
}
