import { z } from 'zod'
import { WEEKDAYS, type BusinessSchedule } from '../domain/businessTime.ts'

const Interval = z.object({ start: z.string(), end: z.string() })
export const ScheduleOut = z.object({
  id: z.number(),
  name: z.string(),
  timeZone: z.string(),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(Interval)),
  holidays: z.array(z.string()),
})
export type ScheduleOut = z.infer<typeof ScheduleOut>

export function presentSchedule(s: {
  id: number
  name: string
  time_zone: string
  weekly: string
  holidays: string
}): ScheduleOut {
  return {
    id: s.id,
    name: s.name,
    timeZone: s.time_zone,
    weekly: JSON.parse(s.weekly) as BusinessSchedule['weekly'],
    holidays: JSON.parse(s.holidays) as string[],
  }
}
