// Business-hours schedules: the calendars SLA targets counted in business hours run on.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { scheduleProblems, WEEKDAYS } from '../../domain/businessTime.ts'
import { AppError, badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import {
  insertSchedule,
  listSchedules,
  scheduleById,
  updateSchedule,
} from '../../repositories/scheduleRepo.ts'
import { nonBlank } from '../fields.ts'
import { requireAdmin, saveResource, type AdminMeta } from './adminWrites.ts'

const Interval = z.object({ start: z.string().max(5), end: z.string().max(5) })

export const ScheduleIn = z.object({
  name: nonBlank(100),
  timeZone: z.string().max(64),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(Interval).max(8)),
  holidays: z.array(z.string().max(10)).max(1000).default([]),
})
export type ScheduleIn = z.infer<typeof ScheduleIn>

/** Creates (`scheduleId` null) or changes a schedule; `input` is the whole schedule or a patch of it. */
export async function saveSchedule(
  app: App,
  actor: Actor,
  scheduleId: number | null,
  input: Partial<ScheduleIn>,
  meta: AdminMeta,
) {
  return saveResource(app, actor, meta, {
    store: { what: 'schedule', byId: scheduleById, insert: insertSchedule, update: updateSchedule },
    id: scheduleId,
    input,
    merge: (current): ScheduleIn => {
      const merged: ScheduleIn = {
        name: input.name ?? current?.name ?? '',
        timeZone: input.timeZone ?? current?.time_zone ?? '',
        weekly: input.weekly ?? (current ? (JSON.parse(current.weekly) as ScheduleIn['weekly']) : {}),
        holidays: input.holidays ?? (current ? (JSON.parse(current.holidays) as string[]) : []),
      }
      const problems = scheduleProblems(merged)
      if (problems.length > 0) throw badRequest('invalid_schedule', problems.join('; '))
      return merged
    },
    toValues: (s) => ({
      name: s.name,
      time_zone: s.timeZone,
      weekly: JSON.stringify(s.weekly),
      holidays: JSON.stringify([...new Set(s.holidays)].sort()),
    }),
    events: { created: 'admin.schedule_created', updated: 'admin.schedule_updated' },
    conflict: () => new AppError('conflict', 'schedule_exists', 'A schedule with that name exists.'),
  })
}

export async function schedules(app: App, actor: Actor) {
  requireAdmin(actor)
  return listSchedules(app.db.read)
}
