// What every admin resource's routes share: the policy, the id parameter, the error responses, the channel.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AdminMeta } from '../../commands/admin/adminWrites.ts'
import { id, patchOf } from '../../commands/fields.ts'
import type { Actor } from '../../policies/actor.ts'
import { ErrorOut, requireActor } from '../http.ts'

/** The route's policy; the command checks the actor again, so no other entry point skips it. */
export const adminOnly = { policy: 'admin' } as const
export const IdParams = z.object({ id: z.coerce.number().pipe(id) })
export const readErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }
export const writeErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }
export const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) })

/** The channel the request came through ('web' for the session cookie, 'api' for a token), for the event. */
export const metaOf = (req: FastifyRequest): AdminMeta => ({ channel: req.channel })

/** Tags of the OpenAPI document. */
export const ADMIN_TAGS = ['admin']
export const AUTOMATION_TAGS = ['admin: service levels & automation']

/**
 * The standard routes of a configuration resource kept by saveResource: GET list, POST create (201), PATCH
 * `:id` with a partial body, and DELETE `:id` (204) where the resource can be deleted. The command checks the
 * actor; the presenter shapes every answer.
 */
export function resourceRoutes<In extends z.ZodObject, Out extends z.ZodType, Row>(
  server: FastifyInstance,
  spec: {
    path: string
    tags: string[]
    In: In
    Out: Out
    summaries: { list: string; create: string; update: string; remove?: string }
    description?: { update?: string }
    list(actor: Actor): Promise<Row[]>
    present(row: Row): z.infer<Out>
    save(actor: Actor, id: number | null, input: Partial<z.infer<In>>, meta: AdminMeta): Promise<z.infer<Out>>
    remove?(actor: Actor, id: number, meta: AdminMeta): Promise<void>
  },
): void {
  // Fastify's reply types do not resolve through a generic schema, so the writes are typed by hand here; the
  // zod compilers still validate each body and serialise each answer with In and Out.
  const r = server.withTypeProvider<ZodTypeProvider>()
  type ById = { Params: { id: number } }
  const { path, tags, In, Out, summaries } = spec
  r.get(
    path,
    {
      config: adminOnly,
      schema: { tags, summary: summaries.list, response: { 200: Items(Out), ...readErrors } },
    },
    async (req) => ({ items: (await spec.list(requireActor(req))).map((row) => spec.present(row)) }),
  )
  server.post(
    path,
    {
      config: adminOnly,
      schema: { tags, summary: summaries.create, body: In, response: { 201: Out, ...writeErrors } },
    },
    async (req, reply) =>
      reply.code(201).send(await spec.save(requireActor(req), null, req.body as z.infer<In>, metaOf(req))),
  )
  server.patch<ById>(
    `${path}/:id`,
    {
      config: adminOnly,
      schema: {
        tags,
        summary: summaries.update,
        ...(spec.description?.update ? { description: spec.description.update } : {}),
        params: IdParams,
        body: patchOf(In),
        response: { 200: Out, ...writeErrors },
      },
    },
    async (req) => spec.save(requireActor(req), req.params.id, req.body as Partial<z.infer<In>>, metaOf(req)),
  )
  const { remove } = spec
  if (remove)
    server.delete<ById>(
      `${path}/:id`,
      {
        config: adminOnly,
        schema: {
          tags,
          summary: summaries.remove,
          params: IdParams,
          response: { 204: z.null(), ...writeErrors },
        },
      },
      async (req, reply) => {
        await remove(requireActor(req), req.params.id, metaOf(req))
        return reply.code(204).send(null)
      },
    )
}
