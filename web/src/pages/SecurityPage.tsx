// Account settings for every person (issue 13): password and sessions for everyone; for agents also two-factor
// sign-in (QR code, the key as text, recovery codes shown once), personal access tokens and email alerts.
// Turning two-factor on signs every other session out; turning it off needs the password and a current code,
// as the server demands (docs/SECURITY.md). Wrong passwords count in the sign-in throttle, so the server's
// message is shown.
import { useQueryClient } from '@tanstack/react-query'
import QRCode from 'qrcode'
import { useEffect, useState, type FormEvent } from 'react'
import { api } from '../api.ts'
import { Field } from '../ui.tsx'
import { AccessTokensSection } from './account/AccessTokensSection.tsx'
import { MailAlertsSection } from './account/MailAlertsSection.tsx'
import { SessionsSection } from './account/SessionsSection.tsx'
import { CurrentPassword, Problem, useSubmit } from './account/parts.tsx'
import { useCurrentUser } from './Shell.tsx'

export function SecurityPage() {
  const me = useCurrentUser()
  const agent = me.user.type === 'agent'
  useEffect(() => {
    document.title = 'Account settings · Switchboard'
  }, [])
  return (
    <main className="page account" aria-labelledby="account-title">
      <h1 id="account-title">Account settings</h1>
      <p className="muted">
        Signed in as {me.user.name} ({me.user.email}).
      </p>
      <ChangePassword />
      {agent && (me.twoFactorEnabled ? <TurnOffTwoFactor /> : <TurnOnTwoFactor />)}
      <SessionsSection />
      {agent && <AccessTokensSection isAdmin={me.user.isAdmin} />}
      {agent && <MailAlertsSection />}
    </main>
  )
}

/** The otpauth:// URL as a QR code, drawn in the browser (the secret never goes to a third party). */
function QrCode({ url }: { url: string }) {
  const [src, setSrc] = useState<string>()
  useEffect(() => {
    let live = true
    void QRCode.toDataURL(url, { margin: 1, width: 192, errorCorrectionLevel: 'M' }).then((data) => {
      if (live) setSrc(data)
    })
    return () => {
      live = false
    }
  }, [url])
  return src ? (
    <img
      className="qr"
      src={src}
      width={192}
      height={192}
      alt="QR code to scan with your authenticator app"
    />
  ) : null
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
      <CurrentPassword value={currentPassword} onChange={setCurrent} />
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
        Scan this code with your authenticator app, or type the key into it (or open the link on your phone),
        then type the code it shows.
      </p>
      <QrCode url={enrolment.otpauthUrl} />
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
      <CurrentPassword value={currentPassword} onChange={setCurrent} />
      <Field label="Code from the app, or a recovery code">
        <input autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        Turn off two-factor sign-in
      </button>
    </form>
  )
}
