// The fields of the admin kit's forms. Each binds to the surrounding react-hook-form form (FormProvider) by
// name, shows its error under itself (aria-invalid, aria-describedby), and tells the form its label so an
// error the server answers with (`details: [{path: "body.name"}]`) lands under the field it is about.
import { createContext, useContext, useEffect, useId, type ReactNode } from 'react'
import { useFormContext, type FieldValues } from 'react-hook-form'
import { z } from 'zod'
import { FieldError } from '../../formErrors.tsx'

/** name → visible label, filled by the fields as they render. */
export const FieldLabels = createContext<Map<string, string>>(new Map())

function useBoundField(name: string, label: string) {
  const labels = useContext(FieldLabels)
  useEffect(() => {
    labels.set(name, label)
  }, [labels, name, label])
  const form = useFormContext<FieldValues>()
  const errorId = useId()
  const message = form.formState.errors[name]?.message
  const text = typeof message === 'string' ? message : undefined
  return {
    form,
    errorId,
    message: text,
    aria: { 'aria-invalid': text ? true : undefined, 'aria-describedby': text ? errorId : undefined },
  }
}

interface Common {
  name: string
  label: string
  disabled?: boolean
  /** Spans the whole row of the form grid. */
  wide?: boolean
  hint?: ReactNode
}

function Wrap(props: Common & { errorId: string; message: string | undefined; children: ReactNode }) {
  return (
    <label className={props.wide ? 'field wide' : 'field'}>
      <span>{props.label}</span>
      {props.children}
      {props.hint && <small className="muted">{props.hint}</small>}
      <FieldError id={props.errorId} message={props.message} />
    </label>
  )
}

export function TextField(
  props: Common & {
    type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'time'
    maxLength?: number
    placeholder?: string
    autoComplete?: string
  },
) {
  const { form, errorId, message, aria } = useBoundField(props.name, props.label)
  return (
    <Wrap {...props} errorId={errorId} message={message}>
      <input
        type={props.type ?? 'text'}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete}
        disabled={props.disabled}
        {...aria}
        {...form.register(props.name)}
      />
    </Wrap>
  )
}

export function TextAreaField(props: Common & { rows?: number; maxLength?: number; placeholder?: string }) {
  const { form, errorId, message, aria } = useBoundField(props.name, props.label)
  return (
    <Wrap {...props} errorId={errorId} message={message}>
      <textarea
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        disabled={props.disabled}
        {...aria}
        {...form.register(props.name)}
      />
    </Wrap>
  )
}

/** Options are [value, label] pairs; `empty` adds a first option with the value "" (None, Choose…). */
export function SelectField(
  props: Common & { options: readonly (readonly [string | number, string])[]; empty?: string },
) {
  const { form, errorId, message, aria } = useBoundField(props.name, props.label)
  return (
    <Wrap {...props} errorId={errorId} message={message}>
      <select disabled={props.disabled} {...aria} {...form.register(props.name)}>
        {props.empty !== undefined && <option value="">{props.empty}</option>}
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Wrap>
  )
}

export function CheckboxField(props: Omit<Common, 'hint'>) {
  const { form, errorId, message, aria } = useBoundField(props.name, props.label)
  return (
    <label className="checkbox field check">
      <input type="checkbox" disabled={props.disabled} {...aria} {...form.register(props.name)} />
      {props.label}
      <FieldError id={errorId} message={message} />
    </label>
  )
}

/** A checkbox per option; the form value is the list of ticked values, as strings. */
export function CheckboxGroup(
  props: Omit<Common, 'hint'> & { options: readonly (readonly [string | number, string])[] },
) {
  const { form, errorId, message } = useBoundField(props.name, props.label)
  return (
    <fieldset className="field wide" aria-describedby={message ? errorId : undefined}>
      <legend>{props.label}</legend>
      {props.options.map(([value, label]) => (
        <label key={value} className="checkbox">
          <input
            type="checkbox"
            value={String(value)}
            disabled={props.disabled}
            {...form.register(props.name)}
          />
          {label}
        </label>
      ))}
      <FieldError id={errorId} message={message} />
    </fieldset>
  )
}

// Schema pieces with messages a person can act on, the same limits the server's schemas set.

/** Text that must say something, at most `max` characters (stored as typed: never trimmed). */
export const required = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label} is too long: at most ${max} characters`)
    .refine((s) => s.trim() !== '', `${label} cannot be empty`)

/** Optional text: "" becomes null, so a cleared field clears the stored value. */
export const optionalText = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label} is too long: at most ${max} characters`)
    .transform((s) => (s.trim() === '' ? null : s))

/** A <select> of ids with a "None" option: "" is null, anything else the number. */
export const optionalId = z.string().transform((s) => (s === '' ? null : Number(s)))

/** A <select> of ids that must be chosen. */
export const requiredId = (label: string) =>
  z
    .string()
    .refine((s) => s !== '', `Choose a ${label.toLowerCase()}`)
    .transform(Number)

/** A number box: "" is null (no limit), otherwise a whole number in range. */
export const optionalCount = (label: string, min: number, max: number) =>
  z
    .string()
    .refine((s) => s === '' || (/^\d+$/.test(s) && Number(s) >= min && Number(s) <= max), {
      message: `${label} must be a whole number from ${min} to ${max}`,
    })
    .transform((s) => (s === '' ? null : Number(s)))

/** The ticked ids of a CheckboxGroup (react-hook-form gives false for none, a string for one). */
export const idList = z
  .union([z.array(z.string()), z.string(), z.literal(false)])
  .transform((v) => (v === false ? [] : (Array.isArray(v) ? v : [v]).map(Number)))

/** Options of a select: ids and names, for SelectField. */
export const optionsOf = (items: { id: number; name: string }[] | undefined) =>
  (items ?? []).map((i) => [i.id, i.name] as const)

/** A stored nullable value as a form field's string. */
export const str = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v))
