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
  http: HttpConfig
  mail: MailConfig
  attachments: AttachmentConfig
  /** How long after a merge it may be undone (MERGE_UNDO_DAYS, default 30). */
  unmergeWindowMs: number
  rateLimits: RateLimitConfig
  /**
   * SECRET_KEY: the key that seals stored secrets we must hand on (IMAP passwords), at least 32 characters.
   * Without it no mailbox password can be stored (docs/admin.md).
   */
  secretKey: string | undefined
}

/** API rate limits (docs/integrations.md): requests per fixed window; 0 turns one off. */
export interface RateLimitConfig {
  windowMs: number
  /** Per personal access token. */
  perToken: number
  /** Per API key (the osTicket-compatible API). */
  perApiKey: number
  /** Per client IP, for API requests that carry no credentials. */
  perIp: number
}

/** Where attachment content lives and what an upload may be (docs/web.md, "Attachments"). */
export interface AttachmentConfig {
  /** `database` (default: SQLite stays one file) or `disk` (files named by SHA-256 under `dir`). */
  storage: 'database' | 'disk'
  dir: string
  /** Largest file accepted by POST /api/v1/uploads, in bytes (413 above it). */
  maxBytes: number
  /** Files per upload request, and attachments per message (400 above it). */
  maxFiles: number
  /** An upload not attached within this many ms is deleted by the sweep. */
  uploadTtlMs: number
  /** Content types (as sniffed from the bytes) that may be uploaded (415 otherwise). */
  allowedTypes: string[]
}

/** What a person may upload by default: pictures, documents and archives, never HTML, SVG or programs. */
export const DEFAULT_ALLOWED_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/gzip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/x-cfb',
  'message/rfc822',
]

export interface HttpConfig {
  /** The whole request (headers and body) must arrive within this many ms, or the connection is closed (408). */
  requestTimeoutMs: number
  /** A connection with no traffic either way for this many ms is closed. */
  connectionTimeoutMs: number
}

export interface MailConfig {
  /** Outbound SMTP server, e.g. smtp://user:pass@mail.example.com:587; outbound mail is off when unset. */
  smtpUrl: string | undefined
  /** Port of the inbound SMTP listener inside `serve`; off when unset. */
  listenPort: number | undefined
  listenHost: string
  /** From address when a department has no intake address of its own. */
  from: string
  /** The portal's address, for links in mail. */
  publicUrl: string
  maxMessageBytes: number
  maxAttachments: number
  maxAttachmentBytes: number
  /** Messages one sender may send per hour before we stop auto-responding to them (breaks mail loops). */
  senderHourlyLimit: number
  smtp: SmtpLimits
}

/** What one SMTP client, and all of them together, may hold of the listener (docs/SECURITY.md, "Limits"). */
export interface SmtpLimits {
  /** Open connections at once; the next one is answered 421. */
  maxConnections: number
  /** Open connections at once from one IP address; the next one from it is answered 421. */
  maxConnectionsPerIp: number
  /** A connection silent for this many ms is closed. */
  idleTimeoutMs: number
  /**
   * Bytes of messages being received held in memory by all connections together. A message that would pass
   * it is drained without being kept and answered 452 (try again later); the sending server retries.
   */
  maxBufferedBytes: number
}

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number (got "${raw}")`)
  return value
}

const on = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v)
const off = (v: string | undefined) => v !== undefined && /^(0|false|no|off)$/i.test(v)

function countFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min} (got "${raw}")`)
  return value
}

export function loadConfig(env = process.env): Config {
  const port = intFromEnv('PORT', 8080, env)
  const host = env.HOST || '127.0.0.1'
  const maxMessageBytes = countFromEnv(env, 'MAIL_MAX_MESSAGE_BYTES', 40 * 1024 * 1024, 1)
  const storage = env.ATTACHMENT_STORAGE || 'database'
  if (env.SECRET_KEY && env.SECRET_KEY.length < 32)
    throw new Error('SECRET_KEY must be at least 32 characters (for example: openssl rand -base64 32)')
  if (storage !== 'database' && storage !== 'disk')
    throw new Error(`ATTACHMENT_STORAGE must be "database" or "disk" (got "${storage}")`)
  return {
    databaseUrl: env.DATABASE_URL || 'sqlite:data/switchboard.db',
    secretKey: env.SECRET_KEY || undefined,
    port,
    host,
    demoOnEmpty: !off(env.SWITCHBOARD_DEMO),
    secureCookies: on(env.SECURE_COOKIES),
    trustProxy: on(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL || 'info',
    http: {
      requestTimeoutMs: countFromEnv(env, 'HTTP_REQUEST_TIMEOUT_MS', 60_000, 1),
      connectionTimeoutMs: countFromEnv(env, 'HTTP_CONNECTION_TIMEOUT_MS', 120_000, 1),
    },
    unmergeWindowMs: countFromEnv(env, 'MERGE_UNDO_DAYS', 30) * 86_400_000,
    rateLimits: {
      windowMs: countFromEnv(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1) * 1000,
      perToken: countFromEnv(env, 'RATE_LIMIT_PER_TOKEN', 600),
      perApiKey: countFromEnv(env, 'RATE_LIMIT_PER_API_KEY', 600),
      perIp: countFromEnv(env, 'RATE_LIMIT_PER_IP', 600),
    },
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      listenPort: env.SMTP_LISTEN_PORT ? intFromEnv('SMTP_LISTEN_PORT', 0, env) : undefined,
      listenHost: env.SMTP_LISTEN_HOST || host,
      from: env.MAIL_FROM || 'support@example.com',
      publicUrl: (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, ''),
      maxMessageBytes,
      maxAttachments: countFromEnv(env, 'MAIL_MAX_ATTACHMENTS', 20),
      maxAttachmentBytes: countFromEnv(env, 'MAIL_MAX_ATTACHMENT_BYTES', 10 * 1024 * 1024),
      senderHourlyLimit: countFromEnv(env, 'MAIL_SENDER_HOURLY_LIMIT', 30),
      smtp: {
        maxConnections: countFromEnv(env, 'SMTP_MAX_CONNECTIONS', 100, 1),
        maxConnectionsPerIp: countFromEnv(env, 'SMTP_MAX_CONNECTIONS_PER_IP', 10, 1),
        idleTimeoutMs: countFromEnv(env, 'SMTP_IDLE_TIMEOUT_MS', 60_000, 1),
        maxBufferedBytes: countFromEnv(env, 'SMTP_MAX_BUFFERED_BYTES', maxMessageBytes, maxMessageBytes),
      },
    },
    attachments: {
      storage,
      dir: env.ATTACHMENT_DIR || 'data/attachments',
      maxBytes: countFromEnv(env, 'ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1),
      maxFiles: countFromEnv(env, 'ATTACHMENT_MAX_FILES', 10, 1),
      uploadTtlMs: countFromEnv(env, 'ATTACHMENT_UPLOAD_TTL_HOURS', 24, 1) * 3_600_000,
      allowedTypes: env.ATTACHMENT_TYPES
        ? env.ATTACHMENT_TYPES.split(',')
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean)
        : DEFAULT_ALLOWED_TYPES,
    },
  }
}
