// `switchboard mail:pipe`: one RFC 822 message on stdin from an MTA (Postfix pipe(8), a .forward, an alias).
// The exit status is the MTA's instruction, from sysexits.h.
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from '../config.ts'
import { createApp } from '../app.ts'
import { openDatabase, type Database } from '../db/connection.ts'
import { parseMail } from './parseMail.ts'
import { receiveEmail } from './receiveEmail.ts'

export const EX_OK = 0
/** Wrong arguments. */
export const EX_USAGE = 64
/** Not a message at all: the MTA bounces it. */
export const EX_DATAERR = 65
/** The recipient is not one of our intake addresses: the MTA bounces it. */
export const EX_NOUSER = 67
/** The database is unreachable or busy: the MTA keeps the message and tries again later. */
export const EX_TEMPFAIL = 75
/** Refused: mail from one of our own intake addresses (a loop). */
export const EX_NOPERM = 77

export async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buf.length
    if (size > limit) return undefined
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

/** A message has a header section: its first line is a header field ("Name: value"). */
export function looksLikeMessage(raw: Buffer): boolean {
  const head = raw.subarray(0, 2000).toString('latin1')
  return /^(From [^\n]*\n)?[!-9;-~]+:/.test(head)
}

export async function runMailPipe(
  config: Config,
  options: { recipient?: string | undefined; stdin: NodeJS.ReadableStream },
): Promise<{ code: number; message: string }> {
  const raw = await readAll(options.stdin, config.mail.maxMessageBytes)
  if (!raw) return { code: EX_DATAERR, message: 'message is larger than MAIL_MAX_MESSAGE_BYTES' }
  if (raw.length === 0 || !looksLikeMessage(raw))
    return { code: EX_DATAERR, message: 'input is not an RFC 822 message (no header section)' }

  let db: Database
  try {
    db = openDatabase(config.databaseUrl)
  } catch (error) {
    return { code: EX_TEMPFAIL, message: `database unavailable: ${String(error)}` }
  }
  try {
    const app = await createApp(config, db)
    const intake = await db.read.selectFrom('intake_addresses').select('address').execute()
    const addresses = new Set(intake.map((r) => r.address))
    const recipient = options.recipient?.trim().toLowerCase()
    if (recipient && !addresses.has(recipient))
      return { code: EX_NOUSER, message: `${recipient} is not an intake address` }
    const parsed = await parseMail(raw)
    if (parsed.from && addresses.has(parsed.from.address))
      return { code: EX_NOPERM, message: `refused: mail from our own address ${parsed.from.address}` }
    // Past this point the message is ours: once stored, a processing failure lands in failed mail (exit 0).
    const outcome = await receiveEmail(app, raw, {
      source: 'pipe',
      ...(recipient ? { envelopeTo: [recipient] } : {}),
    })
    switch (outcome.status) {
      case 'done':
      case 'duplicate':
        return { code: EX_OK, message: `ticket ${outcome.ticketNumber}` }
      case 'failed':
        return { code: EX_OK, message: `stored in failed mail #${outcome.inboundId}: ${outcome.error}` }
      case 'pending':
        return { code: EX_OK, message: `stored as #${outcome.inboundId}` }
    }
  } catch (error) {
    return {
      code: EX_TEMPFAIL,
      message: `temporary failure: ${error instanceof Error ? error.message : String(error)}`,
    }
  } finally {
    await db.close().catch(() => {})
  }
}

/** The `mail:pipe` subcommand: files stdin, reports a failure on stderr, and returns the exit status. */
export async function mailPipeCommand(args: string[]): Promise<number> {
  let values: { recipient?: string | undefined }
  try {
    ;({ values } = parseArgs({ args, options: { recipient: { type: 'string' } } }))
  } catch (error) {
    console.error(`switchboard mail:pipe: ${error instanceof Error ? error.message : String(error)}`)
    return EX_USAGE
  }
  const recipient = values.recipient ?? process.env.ORIGINAL_RECIPIENT ?? process.env.RECIPIENT
  const result = await runMailPipe(loadConfig(), { recipient, stdin: process.stdin })
  if (result.code !== 0) console.error(`switchboard mail:pipe: ${result.message}`)
  return result.code
}
