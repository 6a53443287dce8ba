import { z } from 'zod'
import { FIELD_TYPES } from '../domain/customFields.ts'

export const CustomFieldOut = z.object({
  id: z.number(),
  key: z.string(),
  label: z.string(),
  type: z.enum(FIELD_TYPES),
  options: z.array(z.string()),
  clientVisible: z.boolean(),
  clientEditable: z.boolean(),
  agentVisible: z.boolean(),
  requiredOnCreate: z.boolean(),
  requiredToClose: z.boolean(),
  position: z.number(),
  isActive: z.boolean(),
})
export type CustomFieldOut = z.infer<typeof CustomFieldOut>

export function presentCustomField(f: {
  id: number
  key: string
  label: string
  type: CustomFieldOut['type']
  options: string
  client_visible: number
  client_editable: number
  agent_visible: number
  required_on_create: number
  required_to_close: number
  position: number
  is_active: number
}): CustomFieldOut {
  return {
    id: f.id,
    key: f.key,
    label: f.label,
    type: f.type,
    options: JSON.parse(f.options) as string[],
    clientVisible: f.client_visible === 1,
    clientEditable: f.client_editable === 1,
    agentVisible: f.agent_visible === 1,
    requiredOnCreate: f.required_on_create === 1,
    requiredToClose: f.required_to_close === 1,
    position: f.position,
    isActive: f.is_active === 1,
  }
}
