// SLA plans: Kysely queries and the JSON (de)serialisation of their stored columns.
import type { Insertable, Kysely } from 'kysely'
import type { BusinessSchedule } from '../domain/businessTime.ts'
import type { PlanTargets, SlaPlan } from '../domain/slaClock.ts'
import type { DB, SlaPlanTable } from '../db/schema.ts'
import type { EscalationTrigger, EscalationType } from '../shared/sla.ts'

export interface Escalation {
  on: EscalationTrigger
  type: EscalationType
  /** reassign: an agent id, or null for auto-assignment; notify_team: a team id. */
  value?: number | null | undefined
}

export interface StoredPlan extends SlaPlan {
  scheduleId: number | null
  escalations: Escalation[]
  isActive: boolean
}

/** A plan row joined with its schedule, with the JSON columns parsed. */
export function toStoredPlan(row: {
  id: number
  name: string
  schedule_id: number | null
  targets: string
  escalations: string
  is_active: number
  time_zone: string | null
  weekly: string | null
  holidays: string | null
}): StoredPlan {
  return {
    id: row.id,
    name: row.name,
    scheduleId: row.schedule_id,
    schedule:
      row.time_zone === null || row.weekly === null
        ? null
        : {
            timeZone: row.time_zone,
            weekly: JSON.parse(row.weekly) as BusinessSchedule['weekly'],
            holidays: JSON.parse(row.holidays ?? '[]') as string[],
          },
    targets: JSON.parse(row.targets) as PlanTargets,
    escalations: JSON.parse(row.escalations) as Escalation[],
    isActive: row.is_active === 1,
  }
}

export type PlanValues = Omit<Insertable<SlaPlanTable>, 'id' | 'created_at'>

export async function listPlans(db: Kysely<DB>) {
  return db.selectFrom('sla_plans').selectAll().orderBy('name').execute()
}

export async function planById(db: Kysely<DB>, id: number) {
  return db.selectFrom('sla_plans').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertPlan(db: Kysely<DB>, values: PlanValues, createdAt: number) {
  const row = await db
    .insertInto('sla_plans')
    .values({ ...values, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updatePlan(db: Kysely<DB>, id: number, values: PlanValues) {
  await db.updateTable('sla_plans').set(values).where('id', '=', id).execute()
}
