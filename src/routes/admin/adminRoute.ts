// What every admin resource's routes share: the policy, the id parameter, the error responses, the channel.
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { AdminMeta } from '../../commands/admin/adminWrites.ts'
import { id } from '../../commands/fields.ts'
import { ErrorOut } from '../http.ts'

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
