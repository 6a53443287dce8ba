// Routing configuration held in memory: settings, departments, SLA plans with their schedules, help topics
// and rules. Every ticket command reads them, and they change a few times a day. Triggers bump
// config_version on any change to those tables (migration 0006), so each transaction reads that one number
// and reloads everything only when it moved: a change made by another process, or straight in SQL, is seen
// by the next command, never served stale.
import type { Kysely, Selectable } from 'kysely'
import { reusable } from './db/reusable.ts'
import type { DB } from './db/schema.ts'
import type { Rule, RuleEvent } from './domain/rules.ts'
import { toRule } from './repositories/automationRepo.ts'
import { activeRules } from './repositories/ruleRepo.ts'
import { toStoredPlan, type StoredPlan } from './repositories/slaPlanRepo.ts'

export type DepartmentConfig = Selectable<DB['departments']>
export type TopicConfig = Selectable<DB['help_topics']>

export class RoutingSnapshot {
  private readonly settings: Map<string, string>
  private readonly departments: Map<number, DepartmentConfig>
  private readonly plans: Map<number, StoredPlan>
  private readonly topics: Map<number, TopicConfig>
  private readonly rulesByEvent = new Map<RuleEvent, Rule[]>()

  constructor(
    readonly version: number,
    rows: {
      settings: Selectable<DB['settings']>[]
      departments: DepartmentConfig[]
      plans: StoredPlan[]
      topics: TopicConfig[]
      rules: Rule[]
    },
  ) {
    this.settings = new Map(rows.settings.map((r) => [r.key, r.value]))
    this.departments = new Map(rows.departments.map((r) => [r.id, r]))
    this.plans = new Map(rows.plans.map((p) => [p.id, p]))
    this.topics = new Map(rows.topics.map((t) => [t.id, t]))
    // Loaded in position order, so each event's list keeps it.
    for (const rule of rows.rules) {
      const list = this.rulesByEvent.get(rule.event) ?? []
      list.push(rule)
      this.rulesByEvent.set(rule.event, list)
    }
  }

  /** Where tickets go when nobody chose a department (customers' tickets, by default). */
  defaultDepartmentId(): number | undefined {
    const value = this.settings.get('default_department_id')
    return value === undefined ? undefined : Number(value)
  }

  defaultPlanId(): number | null {
    const value = this.settings.get('default_sla_plan_id')
    return value === undefined || value === '' ? null : Number(value)
  }

  department(id: number): DepartmentConfig | undefined {
    return this.departments.get(id)
  }

  plan(id: number): StoredPlan | undefined {
    return this.plans.get(id)
  }

  topic(id: number): TopicConfig | undefined {
    return this.topics.get(id)
  }

  /** The active rules for an event, in the order they run. */
  rules(event: RuleEvent): readonly Rule[] {
    return this.rulesByEvent.get(event) ?? []
  }
}

const configVersion = reusable((db) => db.selectFrom('config_version').select('n').where('id', '=', 1))

export class RoutingConfig {
  private snapshot: RoutingSnapshot | undefined

  /** The configuration as of `db`'s view (pass the transaction, so a command sees one consistent state). */
  async current(db: Kysely<DB>): Promise<RoutingSnapshot> {
    const [{ n }] = (await configVersion(db)) as [{ n: number }]
    if (this.snapshot?.version === n) return this.snapshot
    const [settings, departments, plans, topics, rules] = await Promise.all([
      db.selectFrom('settings').selectAll().execute(),
      db.selectFrom('departments').selectAll().execute(),
      db
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
        .execute(),
      db.selectFrom('help_topics').selectAll().execute(),
      activeRules(db),
    ])
    const snapshot = new RoutingSnapshot(n, {
      settings,
      departments,
      plans: plans.map(toStoredPlan),
      topics,
      rules: rules.map(toRule),
    })
    // A slower load of an older version must not replace a newer one.
    if (!this.snapshot || this.snapshot.version < n) this.snapshot = snapshot
    return snapshot
  }
}
