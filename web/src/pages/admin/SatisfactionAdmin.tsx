// Satisfaction surveys per department (issue 16): on or off, and the question the requester is asked when a
// ticket of the department is resolved. One row per department, each saved on its own.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'

const BASE = '/api/v1/admin/satisfaction'

interface Setting {
  departmentId: number
  department: string
  enabled: boolean
  question: string
}

export function SatisfactionAdmin() {
  const list = useQuery({ queryKey: ['admin', BASE], queryFn: () => get<{ items: Setting[] }>(BASE) })
  return (
    <section aria-labelledby="satisfaction-admin-title">
      <h2 id="satisfaction-admin-title">Satisfaction surveys</h2>
      <p className="muted">
        When a ticket of a department that asks is resolved, its requester gets the question by email (a link
        that works once, without signing in) and on the ticket in the portal. They answer Good or Bad, with a
        comment if they like, and may change the answer for 7 days.
      </p>
      {list.isPending && <Loading />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Department</th>
              <th scope="col">Ask</th>
              <th scope="col">Question</th>
              <th scope="col">
                <span className="visually-hidden">Save</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <SettingRow key={`${s.departmentId}-${s.enabled}-${s.question}`} setting={s} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function SettingRow({ setting }: { setting: Setting }) {
  const client = useQueryClient()
  const [enabled, setEnabled] = useState(setting.enabled)
  const [question, setQuestion] = useState(setting.question)
  const save = useMutation({
    mutationFn: () => api('PUT', `${BASE}/${setting.departmentId}`, { enabled, question }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', BASE] }),
  })
  const form = `satisfaction-${setting.departmentId}`
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  const changed = enabled !== setting.enabled || question !== setting.question
  return (
    <tr>
      <th scope="row">{setting.department}</th>
      <td>
        <input
          form={form}
          type="checkbox"
          aria-label={`Ask for satisfaction in ${setting.department}`}
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
      </td>
      <td>
        <input
          form={form}
          aria-label={`Question for ${setting.department}`}
          value={question}
          maxLength={200}
          onChange={(e) => setQuestion(e.target.value)}
        />
        {save.isError && <ErrorBox error={save.error} />}
      </td>
      <td>
        <form id={form} onSubmit={submit}>
          <button type="submit" disabled={!changed || question.trim() === '' || save.isPending}>
            Save {setting.department}
          </button>
        </form>
      </td>
    </tr>
  )
}
