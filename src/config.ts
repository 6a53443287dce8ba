// All configuration comes from the environment; README.md lists every variable.

export interface Config {
  databaseUrl: string
  port: number
  host: string
  /** Load the demo people into an empty database on `start` (SWITCHBOARD_DEMO=off disables it). */
  demoOnEmpty: boolean
  /** Mark the session cookie Secure; set when served behind TLS. */
  secureCookies: boolean
  /** Behind a reverse proxy, trust X-Forwarded-For for the client IP (used by sign-in throttling). */
  trustProxy: boolean
  logLevel: string
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number (got "${raw}")`)
  return value
}

const on = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v)
const off = (v: string | undefined) => v !== undefined && /^(0|false|no|off)$/i.test(v)

export function loadConfig(env = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || 'sqlite:data/switchboard.db',
    port: intFromEnv('PORT', 8080),
    host: env.HOST || '127.0.0.1',
    demoOnEmpty: !off(env.SWITCHBOARD_DEMO),
    secureCookies: on(env.SECURE_COOKIES),
    trustProxy: on(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL || 'info',
  }
}
