// Schedules and SLA plans: Kysely queries and the JSON (de)serialisation of their stored columns.
import type { Kysely } from 'kysely'
import type { BusinessSchedule } from '../domain/businessTime.ts'
import type { PlanTargets, SlaPlan } from '../domain/slaClock.ts'
import type { DB } from '../db/schema.ts'
import { getSetting } from './settingsRepo.ts'

export interface Escalation {
  on: 'at_risk' | 'breached'
  type: 'raise_priority' | 'reassign' | 'notify_team'
  /** reassign: an agent id, or null for auto-assignment; notify_team: a team id. */
  value?: number | null | undefined
}

export interface StoredPlan extends SlaPlan {
  scheduleId: number | null
  escalations: Escalation[]
  isActive: boolean
}

export async function findPlan(db: Kysely<DB>, id: number): Promise<StoredPlan | undefined> {
  const row = await db
    .selectFrom('sla_plans as p')
    .leftJoin('business_schedules as s', 's.id', 'p.schedule_id')
    .select([
      'p.id',
      'p.name',
      'p.schedule_id',
      'p.targets',
      'p.escalations',
      'p.is_active',
      's.time_zone',
      's.weekly',
      's.holidays',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
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

export async function listPlans(db: Kysely<DB>) {
  return db.selectFrom('sla_plans').selectAll().orderBy('name').execute()
}

export async function listSchedules(db: Kysely<DB>) {
  return db.selectFrom('business_schedules').selectAll().orderBy('name').execute()
}

export async function defaultPlanId(db: Kysely<DB>): Promise<number | null> {
  const value = await getSetting(db, 'default_sla_plan_id')
  return value === undefined || value === '' ? null : Number(value)
}

/** A small per-run cache, so a sweep over many tickets reads each plan once. */
export function planCache(db: Kysely<DB>) {
  const cache = new Map<number, Promise<StoredPlan | undefined>>()
  return (id: number) => {
    let hit = cache.get(id)
    if (!hit) cache.set(id, (hit = findPlan(db, id)))
    return hit
  }
}
