// The admin kit: one list-and-edit page for every admin resource. A page describes its resource (how to load
// it, its columns, its form fields with their zod schema, and the API calls that save, enable, disable and
// delete) and the kit does the rest the same way everywhere: the table with a search box, the create/edit form
// (react-hook-form bound to the zod schema, the server's refusals shown under their fields), a confirmation
// dialog before anything destructive, and an Undo toast afterwards where the change can be undone.
import { zodResolver } from '@hookform/resolvers/zod'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { FormProvider, useForm, type DefaultValues, type FieldValues, type Path } from 'react-hook-form'
import type { z } from 'zod'
import { fieldErrorsOf } from '../../formErrors.tsx'
import { ErrorBox, Loading } from '../../ui.tsx'
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog.tsx'
import { FieldLabels } from './formFields.tsx'
import { UndoToast, type Toast } from './UndoToast.tsx'

export interface Column<T> {
  header: string
  cell: (row: T) => ReactNode
}

/** A page of rows; `nextCursor` (keyset paging) adds a "Load more" button. */
export interface Page<T> {
  items: T[]
  nextCursor?: string | null
}

export interface ResourceForm<T, In extends FieldValues, Out> {
  schema: z.ZodType<Out, In>
  /** The form's values for a new row (null) or for the row being edited. */
  defaults: (row: T | null) => In
  fields: (editing: T | null) => ReactNode
  save: (values: Out, editing: T | null) => Promise<unknown>
  /** Extra classes of the <form> ("inline-form" lays simple forms out in a grid). */
  layout?: 'inline' | 'stacked'
  /** Label of the create button: "Create <singular>" by default. */
  createLabel?: string
  /** No create form: rows are only edited (a fixed set, like mail templates). */
  editOnly?: boolean
  /** Without it every row can be edited. */
  editable?: (row: T) => boolean
}

export interface ResourcePageProps<T, In extends FieldValues, Out> {
  title: string
  /** "department": makes "New department", "Create department", "Save department". */
  singular: string
  intro?: ReactNode
  /** What to load; `search` is what the person typed (server-side search when `searchOnServer`). */
  load: { key: readonly unknown[]; fetch: (p: { search: string; cursor: string | null }) => Promise<Page<T>> }
  rowKey: (row: T) => string | number
  /** The row's name in button labels ("Edit Billing") and messages. */
  rowName: (row: T) => string
  columns: Column<T>[]
  /** Text the search box filters on; leave out for no search box. */
  searchText?: (row: T) => string
  searchOnServer?: boolean
  form?: ResourceForm<T, In, Out>
  toggle?: {
    active: (row: T) => boolean
    set: (row: T, active: boolean) => Promise<unknown>
    /** Ask before disabling, saying what it does. */
    confirm?: (row: T) => ReactNode
  }
  remove?: {
    run: (row: T) => Promise<unknown>
    /** Brings the row back (restore, or create again from its data). Without it, no Undo is offered. */
    undo?: (row: T) => Promise<unknown>
    /** What deleting does, in the confirmation. */
    confirm?: (row: T) => ReactNode
  }
  /** Buttons of a row beyond Edit, Disable/Enable and Delete. */
  actions?: (row: T) => ReactNode
  /** More on the page, under the table (settings forms, details of a chosen row). */
  children?: ReactNode
}

export function ResourcePage<T, In extends FieldValues, Out>(props: ResourcePageProps<T, In, Out>) {
  const client = useQueryClient()
  const [search, setSearch] = useState('')
  const [serverSearch, setServerSearch] = useState('')
  const [editing, setEditing] = useState<T | null>(null)
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null)
  const [toast, setToast] = useState<Toast | null>(null)
  const [actionError, setActionError] = useState<unknown>(null)
  const titleId = `${props.load.key.join('-').replace(/[^a-z0-9-]/gi, '')}-title`

  const list = useInfiniteQuery({
    queryKey: [...props.load.key, props.searchOnServer ? serverSearch : ''],
    queryFn: ({ pageParam }) =>
      props.load.fetch({ search: props.searchOnServer ? serverSearch : '', cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['admin'] }),
      client.invalidateQueries({ queryKey: props.load.key }),
    ])
  const rows = useMemo(() => {
    const all = list.data?.pages.flatMap((p) => p.items) ?? []
    const words = search.trim().toLowerCase()
    if (!props.searchText || props.searchOnServer || words === '') return all
    return all.filter((r) => props.searchText!(r).toLowerCase().includes(words))
  }, [list.data, search, props.searchText, props.searchOnServer])

  /** Runs a row action, then refreshes; a refusal is shown above the table. */
  const act = (run: () => Promise<unknown>, then?: Toast) => {
    setActionError(null)
    run().then(
      async () => {
        await refresh()
        if (then)
          setToast({
            ...then,
            ...(then.undo ? { undo: () => then.undo!().then(refresh) } : {}),
          })
      },
      (error: unknown) => setActionError(error),
    )
  }

  const toggle = (row: T) => {
    const t = props.toggle!
    const name = props.rowName(row)
    if (!t.active(row)) return act(() => t.set(row, true))
    const disable = () =>
      act(() => t.set(row, false), { text: `${name} disabled.`, undo: () => t.set(row, true) })
    if (!t.confirm) return disable()
    setConfirm({ title: `Disable ${name}?`, body: t.confirm(row), confirm: 'Disable', run: disable })
  }
  const remove = (row: T) => {
    const r = props.remove!
    const name = props.rowName(row)
    setConfirm({
      title: `Delete ${name}?`,
      body: r.confirm?.(row) ?? <p>{r.undo ? 'You can undo this right after.' : 'This cannot be undone.'}</p>,
      confirm: 'Delete',
      run: () =>
        act(() => r.run(row), {
          text: `${name} deleted.`,
          ...(r.undo ? { undo: () => r.undo!(row) } : {}),
        }),
    })
  }

  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.intro}
      {props.form && (
        <EditForm {...props} form={props.form} editing={editing} setEditing={setEditing} refresh={refresh} />
      )}
      {props.searchText && (
        <form
          role="search"
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            setServerSearch(search.trim())
          }}
        >
          <label className="field">
            <span>Find {props.title.toLowerCase()}</span>
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
          {props.searchOnServer && (
            <div className="field">
              <button type="submit" className="secondary">
                Search
              </button>
            </div>
          )}
        </form>
      )}
      {actionError !== null && <ErrorBox error={actionError} />}
      {list.isPending && <Loading what={`Loading ${props.title.toLowerCase()}`} />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        // A wide table scrolls sideways: the region takes focus so the keyboard can scroll it too.
        <div className="table-wrap" role="region" aria-label={props.title} tabIndex={0}>
          <table>
            <thead>
              <tr>
                {props.columns.map((c) => (
                  <th scope="col" key={c.header}>
                    {c.header}
                  </th>
                ))}
                {props.toggle && <th scope="col">State</th>}
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={props.columns.length + (props.toggle ? 2 : 1)} className="muted">
                    {search.trim() ? 'Nothing matches.' : `No ${props.title.toLowerCase()} yet.`}
                  </td>
                </tr>
              )}
              {rows.map((row) => {
                const active = props.toggle?.active(row) ?? true
                const name = props.rowName(row)
                return (
                  <tr key={props.rowKey(row)} className={active ? '' : 'disabled-row'}>
                    {props.columns.map((c) => (
                      <td key={c.header}>{c.cell(row)}</td>
                    ))}
                    {props.toggle && <td>{active ? 'Active' : 'Disabled'}</td>}
                    <td className="actions">
                      {props.form && (props.form.editable?.(row) ?? true) && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Edit ${name}`}
                          onClick={() => setEditing(row)}
                        >
                          Edit
                        </button>
                      )}
                      {props.toggle && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`${active ? 'Disable' : 'Enable'} ${name}`}
                          onClick={() => toggle(row)}
                        >
                          {active ? 'Disable' : 'Enable'}
                        </button>
                      )}
                      {props.remove && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Delete ${name}`}
                          onClick={() => remove(row)}
                        >
                          Delete
                        </button>
                      )}
                      {props.actions?.(row)}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            Load more {props.title.toLowerCase()}
          </button>
        </p>
      )}
      {props.children}
      {confirm && <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />}
      <UndoToast toast={toast} onClose={() => setToast(null)} />
    </section>
  )
}

function EditForm<T, In extends FieldValues, Out>(
  props: ResourcePageProps<T, In, Out> & {
    form: ResourceForm<T, In, Out>
    editing: T | null
    setEditing: (row: T | null) => void
    refresh: () => Promise<unknown>
  },
) {
  const { form: spec, editing, setEditing } = props
  const labels = useRef(new Map<string, string>()).current
  const form = useForm<In, unknown, Out>({
    resolver: zodResolver(spec.schema),
    defaultValues: spec.defaults(null) as DefaultValues<In>,
  })
  const formRef = useRef<HTMLFormElement>(null)
  const save = useMutation({
    mutationFn: (values: Out) => spec.save(values, editing),
    onSuccess: async () => {
      await props.refresh()
      // A new row: the form empties for the next one (editing was already null, so no effect runs).
      if (editing === null) form.reset(spec.defaults(null))
      setEditing(null)
    },
    onError: (error) => {
      const fields = fieldErrorsOf(error, Object.fromEntries(labels))
      for (const [name, message] of Object.entries(fields))
        form.setError(name as Path<In>, { type: 'server', message })
    },
  })
  const { reset: resetForm } = form
  const { reset: resetSave } = save
  const defaults = spec.defaults
  useEffect(() => {
    resetForm(defaults(editing))
    resetSave()
    // The first field that can be changed, so a keyboard user lands where they edit.
    if (editing)
      formRef.current
        ?.querySelector<HTMLElement>(
          'input:not([disabled]):not([readonly]), select:not([disabled]), textarea',
        )
        ?.focus()
    // `defaults` is a new function at each render of the page; only a change of row resets the form.
  }, [editing, resetForm, resetSave])

  const shown = fieldErrorsOf(save.error, Object.fromEntries(labels))
  const name = editing ? props.rowName(editing) : null
  if (spec.editOnly && !editing) return null
  return (
    <FieldLabels.Provider value={labels}>
      <FormProvider {...form}>
        <form
          ref={formRef}
          className={spec.layout === 'stacked' ? 'card' : 'card inline-form'}
          noValidate
          aria-label={name ? `Edit ${name}` : `New ${props.singular}`}
          onSubmit={(e) => void form.handleSubmit((values) => save.mutate(values))(e)}
        >
          {spec.fields(editing)}
          <div className="actions field">
            <button type="submit" disabled={save.isPending}>
              {editing ? `Save ${props.singular}` : (spec.createLabel ?? `Create ${props.singular}`)}
            </button>
            {editing && (
              <button type="button" className="secondary" onClick={() => setEditing(null)}>
                Cancel
              </button>
            )}
          </div>
        </form>
      </FormProvider>
      {save.isError && Object.keys(shown).length === 0 && <ErrorBox error={save.error} />}
    </FieldLabels.Provider>
  )
}
