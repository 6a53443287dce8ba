import { z } from 'zod'

export const SlaSettingsOut = z.object({ autoCloseDays: z.number(), defaultPlanId: z.number().nullable() })
export type SlaSettingsOut = z.infer<typeof SlaSettingsOut>
