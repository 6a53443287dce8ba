// The admin console's API: one module per resource (docs/architecture.md). Every route is policy 'admin';
// every command checks the actor again.
import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { cannedResponseRoutes } from './cannedResponses.ts'
import { customFieldRoutes } from './customFields.ts'
import { departmentRoutes } from './departments.ts'
import { organizationRoutes } from './organizations.ts'
import { peopleRoutes } from './people.ts'
import { roleRoutes } from './roles.ts'
import { ruleRoutes } from './rules.ts'
import { scheduleRoutes } from './schedules.ts'
import { slaPlanRoutes } from './slaPlans.ts'
import { slaSettingsRoutes } from './slaSettings.ts'
import { statusRoutes } from './statuses.ts'
import { teamRoutes } from './teams.ts'
import { topicRoutes } from './topics.ts'

const RESOURCES = [
  departmentRoutes,
  teamRoutes,
  peopleRoutes,
  organizationRoutes,
  roleRoutes,
  statusRoutes,
  scheduleRoutes,
  slaPlanRoutes,
  slaSettingsRoutes,
  ruleRoutes,
  topicRoutes,
  customFieldRoutes,
  cannedResponseRoutes,
]

export function adminRoutes(server: FastifyInstance, app: App): void {
  for (const register of RESOURCES) register(server, app)
}
