// The addresses we accept mail for: list, set (add or change), delete.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  deleteIntakeAddress,
  IntakeAddressIn,
  IntakeAddressParams,
  setIntakeAddress,
} from '../../commands/admin/intakeAddresses.ts'
import { listIntakeAddresses } from '../../repositories/intakeAddressRepo.ts'
import { ErrorOut, requireActor } from '../http.ts'

const tags = ['mail']
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const config = { policy: 'admin' as const }

export function intakeAddressRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/intake-addresses',
    {
      config,
      schema: {
        tags,
        summary: 'Addresses we accept mail for, and their departments',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                address: z.string(),
                departmentId: z.number(),
                trustedAuthservIds: z.array(z.string()),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async () => ({
      items: (await listIntakeAddresses(app.db.read)).map((a) => ({
        address: a.address,
        departmentId: a.departmentId,
        trustedAuthservIds: a.trustedAuthservIds,
      })),
    }),
  )
  r.put(
    '/api/v1/admin/intake-addresses/:address',
    {
      config,
      schema: {
        tags,
        summary:
          'Accept mail for an address, into a department, and say whose Authentication-Results to believe',
        params: IntakeAddressParams,
        body: IntakeAddressIn,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await setIntakeAddress(app, requireActor(req), req.params.address, req.body, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
  r.delete(
    '/api/v1/admin/intake-addresses/:address',
    {
      config,
      schema: {
        tags,
        summary: 'Forget an intake address (mail to it goes where mail to any unlisted address goes)',
        params: IntakeAddressParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteIntakeAddress(app, requireActor(req), req.params.address, { channel: req.channel })
      return reply.code(204).send(null)
    },
  )
}
