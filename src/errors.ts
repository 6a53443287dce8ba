// The closed set of errors a command may raise. Each has a stable code; HTTP status mapping is in one place.

export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'too_many_requests'
  | 'unavailable'

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** Extra top-level fields of the error response (the current ticket on a version conflict). */
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
  get status(): number {
    return STATUS[this.kind]
  }
}

export const badRequest = (code: string, message: string) => new AppError('bad_request', code, message)
export const forbidden = (message = 'You do not have permission to do that.') =>
  new AppError('forbidden', 'forbidden', message)
/** Used both for missing objects and for objects the actor may not see, so the two are indistinguishable. */
export const notFound = (what: string) => new AppError('not_found', 'not_found', `No such ${what}.`)
export const unauthenticated = () =>
  new AppError(
    'unauthenticated',
    'unauthenticated',
    'Sign in first: send a session cookie or a Bearer token.',
  )

/** A change based on a stale version. Carries the current ticket so the client can show what changed. */
export class VersionConflict<T> extends AppError {
  constructor(readonly current: T) {
    super(
      'conflict',
      'version_conflict',
      'Someone changed this ticket since you loaded it. Review the current state and try again.',
    )
  }
}
