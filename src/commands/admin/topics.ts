// Help topics: what a customer picks when opening a ticket; each may route to a department, set a priority
// and a plan, and ask for its own custom fields.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { PRIORITIES } from '../../domain/tickets.ts'
import { AppError, badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { presentTopic } from '../../presenters/topicPresenter.ts'
import { customFieldKeys } from '../../repositories/customFieldRepo.ts'
import { idExists } from '../../repositories/referenceRepo.ts'
import { insertTopic, listTopics, topicById, updateTopic } from '../../repositories/topicRepo.ts'
import { id, nonBlank } from '../fields.ts'
import { requireAdmin, saveResource, type AdminMeta } from './adminWrites.ts'

export const TopicIn = z.object({
  name: nonBlank(100),
  isPublic: z.boolean().default(true),
  isActive: z.boolean().default(true),
  departmentId: id.nullable().default(null),
  priority: z.enum(PRIORITIES).nullable().default(null),
  slaPlanId: id.nullable().default(null),
  fields: z.array(z.string().max(64)).max(100).default([]).describe('Custom field keys: the topic’s form'),
  position: z.number().int().min(0).max(1_000_000).default(0),
})
export type TopicIn = z.infer<typeof TopicIn>

/** Creates (`topicId` null) or changes a help topic; `input` is the whole topic or a patch of it. */
export async function saveTopic(
  app: App,
  actor: Actor,
  topicId: number | null,
  input: Partial<TopicIn>,
  meta: AdminMeta,
) {
  return saveResource(app, actor, meta, {
    store: { what: 'help topic', byId: topicById, insert: insertTopic, update: updateTopic },
    id: topicId,
    input,
    merge: (current) => TopicIn.parse({ ...(current ? presentTopic(current) : {}), ...input }),
    check: async (trx, topic) => {
      if (topic.departmentId !== null && !(await idExists(trx, 'departments', topic.departmentId)))
        throw badRequest('unknown_department', 'That department does not exist.')
      if (topic.slaPlanId !== null && !(await idExists(trx, 'sla_plans', topic.slaPlanId)))
        throw badRequest('unknown_plan', 'That SLA plan does not exist.')
      // A topic may keep a disabled field on its form; it comes back when the field is enabled again.
      const known = await customFieldKeys(trx)
      const unknown = topic.fields.filter((k) => !known.has(k))
      if (unknown.length > 0) throw badRequest('unknown_field', `No custom fields: ${unknown.join(', ')}.`)
    },
    toValues: (t) => ({
      name: t.name,
      is_public: t.isPublic ? 1 : 0,
      is_active: t.isActive ? 1 : 0,
      department_id: t.departmentId,
      priority: t.priority,
      sla_plan_id: t.slaPlanId,
      fields: JSON.stringify(t.fields),
      position: t.position,
    }),
    events: { created: 'admin.topic_created', updated: 'admin.topic_updated' },
    conflict: () => new AppError('conflict', 'topic_exists', 'A help topic with that name exists.'),
  })
}

export async function topics(app: App, actor: Actor) {
  requireAdmin(actor)
  return listTopics(app.db.read)
}
