// "Check a ticket's status" for customers without their password: email and ticket number in, a single-use
// sign-in link out, mailed to that address. The answer is the same whether or not the ticket is theirs.
import { useState } from 'react'
import { requestTicketLink } from '../../auth.ts'
import { LinkRequestForm } from '../LinkRequestForm.tsx'

export function CheckStatusPage() {
  const [number, setNumber] = useState('')
  return (
    <LinkRequestForm
      title="Check a ticket's status"
      intro="Give the email address you wrote from and the ticket number. We email you a link that opens the ticket."
      request={async (email) => {
        await requestTicketLink(email, number)
        return 'If that ticket is yours, we sent a link to that address. It works once, for 30 minutes.'
      }}
      back={{ to: '/login', label: 'Sign in with a password' }}
    >
      <label className="field">
        <span>Ticket number</span>
        <input
          inputMode="numeric"
          autoComplete="off"
          required
          maxLength={64}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
        />
      </label>
    </LinkRequestForm>
  )
}
