// Macros: keeping them (personal or shared) and applying one to a ticket. Applying runs the ticket commands
// themselves inside one transaction per ticket (update with its tags, then the note, then the reply), so a
// macro obeys every rule, permission, event, notification and SLA recomputation of a hand-made change.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { renderTemplate, ticketVariables } from '../domain/cannedTemplate.ts'
import { MACRO_MAX_ACTIONS, planOf, type MacroAction, type MacroPlan } from '../domain/macros.ts'
import { Tag, TAGS_PER_TICKET } from '../domain/tags.ts'
import { BODY_MAX, PRIORITIES } from '../domain/tickets.ts'
import { AppError, badRequest, notFound } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { canEditMacro, canSeeMacro, canShareMacros } from '../policies/macroPolicy.ts'
import { findCanned } from '../repositories/automationRepo.ts'
import { findDepartment, findTeam } from '../repositories/directoryRepo.ts'
import { insertEvents, type Channel } from '../repositories/eventRepo.ts'
import {
  deleteMacroRow,
  findMacro,
  insertMacro,
  updateMacroRow,
  type MacroRow,
} from '../repositories/macroRepo.ts'
import { findTicketById, type TicketListRow } from '../repositories/ticketRepo.ts'
import { findUserById } from '../repositories/userRepo.ts'
import { id, nonBlank, text } from './fields.ts'
import { postMessageIn } from './postMessage.ts'
import { updateTicketIn, type TicketChange } from './updateTicket.ts'

const tagList = z
  .array(Tag)
  .min(1)
  .max(TAGS_PER_TICKET)
  .transform((tags) => [...new Set(tags)])

export const MacroActionIn = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_status'), status: text(64) }),
  z.object({ type: z.literal('set_priority'), priority: z.enum(PRIORITIES) }),
  z.object({ type: z.literal('set_department'), departmentId: id }),
  z.object({
    type: z.literal('set_assignee'),
    agentId: z
      .union([id, z.literal('me')])
      .nullable()
      .describe('`me`: whoever applies it; null: unassign'),
  }),
  z.object({ type: z.literal('set_team'), teamId: id.nullable() }),
  z.object({ type: z.literal('add_tags'), tags: tagList }),
  z.object({ type: z.literal('remove_tags'), tags: tagList }),
  z.object({
    type: z.literal('add_note'),
    body: nonBlank(BODY_MAX).describe('Internal note; variables such as {{ticket.number}} are filled in'),
  }),
  z.object({
    type: z.literal('send_reply'),
    cannedResponseId: id.describe('Public reply with this canned response, its variables filled in'),
  }),
])

/** Each action type at most once, and no tag both added and removed: a macro never contradicts itself. */
export const MacroActions = z
  .array(MacroActionIn)
  .min(1)
  .max(MACRO_MAX_ACTIONS)
  .superRefine((actions, ctx) => {
    const seen = new Set<string>()
    actions.forEach((a, i) => {
      if (seen.has(a.type))
        ctx.addIssue({ code: 'custom', message: `${a.type} appears more than once`, path: [i, 'type'] })
      seen.add(a.type)
    })
    const added = actions.flatMap((a) => (a.type === 'add_tags' ? a.tags : []))
    const removed = actions.flatMap((a) => (a.type === 'remove_tags' ? a.tags : []))
    if (added.some((t) => removed.includes(t)))
      ctx.addIssue({ code: 'custom', message: 'A tag cannot be both added and removed' })
  })

export const CreateMacro = z.object({
  name: nonBlank(120),
  shared: z.boolean().default(false).describe('Seen by every agent; needs macro.share (or an admin)'),
  actions: MacroActions,
})
export type CreateMacro = z.infer<typeof CreateMacro>

export const UpdateMacro = z.object({
  name: nonBlank(120).optional(),
  shared: z.boolean().optional(),
  actions: MacroActions.optional(),
})
export type UpdateMacro = z.infer<typeof UpdateMacro>

export const ApplyMacro = z.object({
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('The version you loaded: a stale one answers 409 with the current ticket'),
})
export type ApplyMacro = z.infer<typeof ApplyMacro>

export interface Macro {
  id: number
  name: string
  shared: boolean
  ownerAgentId: number
  actions: MacroAction[]
  updatedAt: number
}

export const toMacro = (row: MacroRow): Macro => ({
  id: row.id,
  name: row.name,
  shared: row.shared === 1,
  ownerAgentId: row.owner_agent_id,
  actions: JSON.parse(row.actions) as MacroAction[],
  updatedAt: row.updated_at,
})

function requireAgent(actor: Actor): AgentActor {
  if (actor.kind !== 'agent') throw new AppError('forbidden', 'agents_only', 'Only agents can use macros.')
  return actor
}

const mayNotShare = () =>
  new AppError('forbidden', 'forbidden', 'You may not keep shared macros (needs macro.share, or an admin).')

/** The things a change names. Each must exist and be active; 400 with a stable code otherwise. */
export interface References {
  status?: string | undefined
  departmentId?: number | undefined
  assigneeAgentId?: number | null | undefined
  assigneeTeamId?: number | null | undefined
  cannedResponseId?: number | undefined
}

/**
 * Checks what a macro or a bulk change names, once, before any ticket is touched. `user`: the agent who will
 * send the reply; a canned response of a department they have no role in is unknown to them, as in the composer.
 */
export async function checkReferences(
  app: App,
  db: Kysely<DB>,
  refs: References,
  user?: AgentActor,
): Promise<void> {
  if (refs.status !== undefined && !app.statuses.get(refs.status)) {
    const known = app.statuses
      .all()
      .map((s) => s.key)
      .join(', ')
    throw badRequest('unknown_status', `Unknown status "${refs.status}". Use one of: ${known}.`)
  }
  if (refs.departmentId !== undefined) {
    const department = await findDepartment(db, refs.departmentId)
    if (!department || department.is_active !== 1)
      throw badRequest('unknown_department', 'That department does not exist or is disabled.')
  }
  if (refs.assigneeAgentId !== undefined && refs.assigneeAgentId !== null) {
    const agent = await findUserById(db, refs.assigneeAgentId)
    if (!agent || agent.type !== 'agent' || agent.is_active !== 1)
      throw badRequest('unknown_agent', 'That agent does not exist or is disabled.')
  }
  if (refs.assigneeTeamId !== undefined && refs.assigneeTeamId !== null) {
    const team = await findTeam(db, refs.assigneeTeamId)
    if (!team || team.is_active !== 1)
      throw badRequest('unknown_team', 'That team does not exist or is disabled.')
  }
  if (refs.cannedResponseId !== undefined) {
    const canned = await findCanned(db, refs.cannedResponseId)
    const usable =
      canned !== undefined &&
      (user === undefined || canned.department_id === null || user.roles.has(canned.department_id))
    if (!usable) throw badRequest('unknown_canned_response', 'That canned response does not exist.')
  }
}

const referencesOf = (actions: readonly MacroAction[], actorId: number): References => {
  const plan = planOf(actions, actorId)
  return { ...plan.change, cannedResponseId: plan.cannedResponseId }
}

async function recordMacroEvent(
  trx: Kysely<DB>,
  actor: AgentActor,
  type: string,
  meta: { channel: Channel },
  at: number,
  before: Macro | null,
  after: Macro | null,
): Promise<void> {
  const facts = (m: Macro | null) =>
    m && { id: m.id, name: m.name, shared: m.shared, ownerAgentId: m.ownerAgentId, actions: m.actions }
  await insertEvents(
    trx,
    [
      {
        ticketId: null,
        actorId: actor.id,
        type,
        channel: meta.channel,
        before: facts(before),
        after: facts(after),
        at,
      },
    ],
    actor.origin,
  )
}

export async function createMacro(
  app: App,
  actor: Actor,
  input: CreateMacro,
  meta: { channel: Channel },
): Promise<Macro> {
  const agent = requireAgent(actor)
  if (input.shared && !canShareMacros(agent)) throw mayNotShare()
  await checkReferences(app, app.db.read, referencesOf(input.actions, agent.id))
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const macro = toMacro(
      await insertMacro(trx, {
        name: input.name,
        ownerAgentId: agent.id,
        shared: input.shared,
        actions: JSON.stringify(input.actions),
        at,
      }),
    )
    await recordMacroEvent(trx, agent, 'macro.created', meta, at, null, macro)
    return macro
  })
}

/** The macro, if the actor may see it; a personal macro of someone else is "not found", as if it did not exist. */
async function visibleMacro(db: Kysely<DB>, actor: AgentActor, macroId: number): Promise<Macro> {
  const row = await findMacro(db, macroId)
  const macro = row && toMacro(row)
  if (!macro || !canSeeMacro(actor, macro)) throw notFound('macro')
  return macro
}

export async function updateMacro(
  app: App,
  actor: Actor,
  macroId: number,
  input: UpdateMacro,
  meta: { channel: Channel },
): Promise<Macro> {
  const agent = requireAgent(actor)
  if (input.actions) await checkReferences(app, app.db.read, referencesOf(input.actions, agent.id))
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const current = await visibleMacro(trx, agent, macroId)
    if (!canEditMacro(agent, current)) throw mayNotShare()
    if (input.shared !== undefined && input.shared !== current.shared && !canShareMacros(agent))
      throw mayNotShare()
    const macro = toMacro(
      await updateMacroRow(trx, macroId, {
        name: input.name,
        shared: input.shared,
        ...(input.actions ? { actions: JSON.stringify(input.actions) } : {}),
        at,
      }),
    )
    await recordMacroEvent(trx, agent, 'macro.updated', meta, at, current, macro)
    return macro
  })
}

export async function deleteMacro(
  app: App,
  actor: Actor,
  macroId: number,
  meta: { channel: Channel },
): Promise<void> {
  const agent = requireAgent(actor)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const current = await visibleMacro(trx, agent, macroId)
    if (!canEditMacro(agent, current)) throw mayNotShare()
    await deleteMacroRow(trx, macroId)
    await recordMacroEvent(trx, agent, 'macro.deleted', meta, at, current, null)
  })
}

/** A macro ready to run for one agent: what it names checked once, its reply's text loaded once. */
export interface UsableMacro {
  id: number
  name: string
  plan: MacroPlan
  replyTemplate: string | undefined
}

export async function usableMacro(app: App, agent: AgentActor, macroId: number): Promise<UsableMacro> {
  const macro = await visibleMacro(app.db.read, agent, macroId)
  const plan = planOf(macro.actions, agent.id)
  await checkReferences(app, app.db.read, { ...plan.change, cannedResponseId: plan.cannedResponseId }, agent)
  const canned =
    plan.cannedResponseId === undefined ? undefined : await findCanned(app.db.read, plan.cannedResponseId)
  return { id: macro.id, name: macro.name, plan, replyTemplate: canned?.body }
}

/** The macro's field changes with a bulk request's own: the request's fields win, tags add up. */
export function withChanges(plan: MacroPlan['change'], own: TicketChange): TicketChange {
  const union = (a?: readonly string[], b?: readonly string[]) =>
    a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined
  const given = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as TicketChange
  const merged: TicketChange = { ...plan, ...given }
  const addTags = union(plan.addTags, own.addTags)
  const removeTags = union(plan.removeTags, own.removeTags)
  if (addTags) merged.addTags = addTags
  if (removeTags) merged.removeTags = removeTags
  if (addTags?.some((t) => removeTags?.includes(t)))
    throw badRequest('tags_added_and_removed', 'A tag cannot be both added and removed.')
  return merged
}

/**
 * Applies a macro to one ticket inside the caller's transaction: the field and tag changes (with `own`, a bulk
 * request's changes and note) through updateTicket, then the macro's note and reply through postMessage.
 */
export async function applyMacroIn(
  app: App,
  trx: Kysely<DB>,
  agent: AgentActor,
  number: string,
  macro: UsableMacro,
  own: TicketChange,
  meta: { channel: Channel },
): Promise<{ ticketId: number; changed: boolean }> {
  const updated = await updateTicketIn(app, trx, agent, number, withChanges(macro.plan.change, own), meta)
  let changed = updated.changed
  if (macro.plan.note !== undefined || macro.replyTemplate !== undefined) {
    const row = (await findTicketById(trx, updated.ticketId))!
    const values = ticketVariables(row, (key) => app.statuses.get(key)?.name ?? key, agent)
    if (macro.plan.note !== undefined)
      await postMessageIn(
        app,
        trx,
        agent,
        number,
        { body: renderTemplate(macro.plan.note, values), internal: true },
        meta,
      )
    if (macro.replyTemplate !== undefined)
      await postMessageIn(
        app,
        trx,
        agent,
        number,
        { body: renderTemplate(macro.replyTemplate, values), internal: false },
        meta,
      )
    changed = true
  }
  if (changed)
    await insertEvents(
      trx,
      [
        {
          ticketId: updated.ticketId,
          actorId: agent.id,
          type: 'ticket.macro_applied',
          channel: meta.channel,
          after: { macroId: macro.id, name: macro.name },
          at: app.clock.now(),
        },
      ],
      agent.origin,
    )
  return { ticketId: updated.ticketId, changed }
}

export async function applyMacro(
  app: App,
  actor: Actor,
  number: string,
  macroId: number,
  input: ApplyMacro,
  meta: { channel: Channel },
): Promise<TicketListRow> {
  const agent = requireAgent(actor)
  const macro = await usableMacro(app, agent, macroId)
  const { ticketId } = await app.db.transact((trx) =>
    applyMacroIn(app, trx, agent, number, macro, { version: input.version }, meta),
  )
  return (await findTicketById(app.db.read, ticketId))!
}
