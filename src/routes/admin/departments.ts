import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  CreateDepartment,
  createDepartment,
  departments,
  UpdateDepartment,
  updateDepartment,
} from '../../commands/admin/departments.ts'
import { DepartmentOut, presentDepartment } from '../../presenters/departmentPresenter.ts'
import { requireActor } from '../http.ts'
import {
  adminOnly,
  ADMIN_TAGS as tags,
  IdParams,
  Items,
  metaOf,
  readErrors,
  writeErrors,
} from './adminRoute.ts'

export function departmentRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/departments',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'All departments, active or not',
        response: { 200: Items(DepartmentOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await departments(app, requireActor(req))).map(presentDepartment) }),
  )
  r.post(
    '/api/v1/admin/departments',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a department',
        description:
          'A name in use answers 409 `already_exists`; an unknown parentId 400 `unknown_department`.',
        body: CreateDepartment,
        response: { 201: z.object({ department: DepartmentOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const row = await createDepartment(app, requireActor(req), req.body, metaOf(req))
      return reply.code(201).send({ department: presentDepartment(row) })
    },
  )
  r.patch(
    '/api/v1/admin/departments/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Rename, move or disable a department',
        description:
          'A parent that would make a loop answers 400 `parent_cycle`. A disabled department takes no new tickets ' +
          'or transfers; its agents keep seeing the tickets already in it.',
        params: IdParams,
        body: UpdateDepartment,
        response: { 200: z.object({ department: DepartmentOut }), ...writeErrors },
      },
    },
    async (req) => {
      const row = await updateDepartment(app, requireActor(req), req.params.id, req.body, metaOf(req))
      return { department: presentDepartment(row) }
    },
  )
}
