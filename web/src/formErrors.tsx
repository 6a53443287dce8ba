// Validation errors next to the field they are about, in words a person can act on. The API answers a bad
// request with `validation_failed` and `details: [{path: "body.subject", message: "must not be blank"}]`; a
// form names its fields and this turns those details into "Subject cannot be empty" under Subject.
import { ApiError } from './api.ts'

/** The error message for each field of a form, by its key in the request body. */
export type FieldErrors = Record<string, string>

function humanise(label: string, message: string): string {
  if (/blank|too small|at least 1|required|expected string, received undefined/i.test(message))
    return `${label} cannot be empty`
  const long = /(?:too big|at most|<=)\D*(\d+)/i.exec(message)
  if (long) return `${label} is too long: at most ${long[1]} characters`
  if (/email/i.test(message)) return `${label} is not a valid email address`
  return `${label}: ${message}`
}

/** The field errors in an API error, for the fields this form shows (`labels`: body key → visible label). */
export function fieldErrorsOf(error: unknown, labels: Record<string, string>): FieldErrors {
  if (!(error instanceof ApiError) || error.status !== 400) return {}
  const details = (error.body as { error?: { details?: { path?: string; message?: string }[] } } | undefined)
    ?.error?.details
  const out: FieldErrors = {}
  for (const d of details ?? []) {
    const key = d.path?.replace(/^body\.?/, '').split('.')[0] ?? ''
    const label = labels[key]
    if (label && !out[key]) out[key] = humanise(label, d.message ?? '')
  }
  return out
}

/** Whether an error is fully explained by the field errors shown, so no general error box is needed. */
export function onlyFieldErrors(error: unknown, labels: Record<string, string>): boolean {
  return Object.keys(fieldErrorsOf(error, labels)).length > 0
}

/** Checks a text field before sending: empty, or longer than the server takes. */
export function checkText(label: string, value: string, max: number, required = true): string | undefined {
  if (required && value.trim() === '') return `${label} cannot be empty`
  if (value.length > max) return `${label} is too long: ${value.length} characters, at most ${max}`
  return undefined
}

/** The message under a field; the field points at it with aria-describedby and is aria-invalid. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null
  return (
    <small id={id} className="field-error">
      {message}
    </small>
  )
}

/** "12 characters left", shown as the text nears its limit (never cutting it off silently). */
export function counterShown(length: number, max: number): boolean {
  return max - length <= Math.max(20, Math.round(max * 0.2))
}

export function CharCounter({ id, length, max }: { id: string; length: number; max: number }) {
  const left = max - length
  if (!counterShown(length, max)) return null
  return (
    <small id={id} className={left < 0 ? 'counter over' : 'counter'} aria-live="polite">
      {left >= 0 ? `${left} characters left` : `${-left} characters too many`}
    </small>
  )
}
