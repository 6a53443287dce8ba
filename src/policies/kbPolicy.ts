// Who may read and write knowledge-base articles (issue 17). One scope decides both the article page and every
// list, search, suggestion and count: visitors read published public articles, signed-in customers also the
// `customers` ones, agents every published article (internal ones too), and writers (kb.edit, kb.publish or an
// admin) drafts and archived articles as well. Writing needs kb.edit; anything that changes what readers see —
// publishing, archiving, changing or deleting a published article — needs kb.publish.
import type { KbStatus, KbVisibility } from '../domain/kb.ts'
import type { Actor, AgentActor } from './actor.ts'

export type KbPermission = 'kb.edit' | 'kb.publish'

export function kbCan(actor: Actor | undefined, permission: KbPermission): actor is AgentActor {
  if (actor?.kind !== 'agent') return false
  if (actor.isAdmin) return true
  return [...actor.roles.values()].some(
    (p) => p.has(permission) || (permission === 'kb.edit' && p.has('kb.publish')),
  )
}

export interface KbScope {
  visibilities: KbVisibility[]
  statuses: KbStatus[]
}

export function kbReadScope(actor: Actor | undefined): KbScope {
  if (!actor) return { visibilities: ['public'], statuses: ['published'] }
  if (actor.kind === 'customer') return { visibilities: ['public', 'customers'], statuses: ['published'] }
  return {
    visibilities: ['public', 'customers', 'internal'],
    statuses: kbCan(actor, 'kb.edit') ? ['draft', 'published', 'archived'] : ['published'],
  }
}

export function canReadArticle(
  actor: Actor | undefined,
  a: { visibility: KbVisibility; status: KbStatus },
): boolean {
  const scope = kbReadScope(actor)
  return scope.visibilities.includes(a.visibility) && scope.statuses.includes(a.status)
}

/** The permission a change from `before` (null: a new article) to `after` status needs. */
export function permissionForChange(before: KbStatus | null, after: KbStatus): KbPermission {
  return before === 'published' || after !== 'draft' ? 'kb.publish' : 'kb.edit'
}
