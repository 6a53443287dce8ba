// Request and response types of a route, read from the generated schema (./schema.d.ts, `npm run api:types`):
// `ResponseOf<'/api/v1/tickets/{number}'>` is what GET answers, `BodyOf<'/api/v1/views', 'post'>` what POST
// takes. A path or method the server does not have is a type error.
import type { paths } from './schema'

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>

/** The paths that have this method. */
export type PathWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P
}[keyof paths]

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never

/** The JSON body of the route's success answer (200 or 201). */
export type ResponseOf<P extends PathWith<M>, M extends Method = 'get'> =
  Operation<P, M> extends { responses: infer R } ? Json<R[Extract<keyof R, 200 | 201>]> : never

/** The JSON body the route accepts. */
export type BodyOf<P extends PathWith<M>, M extends Method> =
  Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never

/** The query string the route accepts. */
export type QueryOf<P extends PathWith<M>, M extends Method = 'get'> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
