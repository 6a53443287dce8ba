// Where a request came from, for the audit columns (ip, user_agent) of the events it writes. The HTTP layer
// reads it off the request and hands it on explicitly: on the actor it authenticated, or as an argument of the
// sign-in commands. (It was once carried by AsyncLocalStorage; on Node 20 that puts a hook on every promise,
// which cost a tenth of a ticket create.) Jobs and the command line have no origin: their events have no IP.
export interface Origin {
  ip: string | null
  userAgent: string | null
}
