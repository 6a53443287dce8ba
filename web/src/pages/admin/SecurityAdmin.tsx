// The security policy: two-factor sign-in for every agent, and how long a sign-in lasts.
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { FormProvider, useForm } from 'react-hook-form'
import { z } from 'zod'
import { api, get } from '../../api.ts'
import { CheckboxField, TextField } from '../../components/admin/formFields.tsx'
import { ErrorBox, Loading } from '../../ui.tsx'

interface Policy {
  requireAgentTwoFactor: boolean
  sessionLifetimeHours: number
}
const PATH = '/api/v1/admin/security'
const Schema = z.object({
  requireAgentTwoFactor: z.boolean(),
  sessionLifetimeHours: z
    .string()
    .regex(/^\d{1,4}$/, 'Session lifetime must be a whole number of hours from 1 to 8760')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 8760, 'Session lifetime must be a whole number of hours from 1 to 8760'),
})

export function SecurityAdmin() {
  const client = useQueryClient()
  const policy = useQuery({ queryKey: ['admin', PATH], queryFn: () => get<Policy>(PATH) })
  const form = useForm<z.input<typeof Schema>, unknown, z.output<typeof Schema>>({
    resolver: zodResolver(Schema),
    defaultValues: { requireAgentTwoFactor: false, sessionLifetimeHours: '720' },
  })
  const { reset } = form
  useEffect(() => {
    if (policy.data)
      reset({
        requireAgentTwoFactor: policy.data.requireAgentTwoFactor,
        sessionLifetimeHours: String(policy.data.sessionLifetimeHours),
      })
  }, [policy.data, reset])
  const save = useMutation({
    mutationFn: (v: Policy) => api<Policy>('PUT', PATH, v),
    onSuccess: (saved) => client.setQueryData(['admin', PATH], saved),
  })
  return (
    <section aria-labelledby="security-title">
      <h2 id="security-title">Security policy</h2>
      {policy.isPending && <Loading what="Loading the security policy" />}
      {policy.isError && <ErrorBox error={policy.error} retry={() => void policy.refetch()} />}
      <FormProvider {...form}>
        <form
          className="card settings"
          aria-label="Security policy"
          noValidate
          onSubmit={(e) => void form.handleSubmit((v) => save.mutate(v))(e)}
        >
          <CheckboxField name="requireAgentTwoFactor" label="Require two-factor sign-in for every agent" />
          <p className="muted small">
            Agents without it can then only enrol, until they do. Turn it on for yourself first (Account →
            Security).
          </p>
          <TextField
            name="sessionLifetimeHours"
            label="Session lifetime (hours)"
            type="number"
            hint="How long a sign-in lasts. A shorter lifetime also ends longer sessions already open."
          />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              Save security policy
            </button>
          </div>
          <div role="status" aria-live="polite">
            {save.isSuccess && <p className="notice">Security policy saved.</p>}
          </div>
        </form>
      </FormProvider>
      {save.isError && <ErrorBox error={save.error} />}
    </section>
  )
}
