// Where attachment content lives: one interface, two adapters (issue 11). Content is stored once by SHA-256:
// attachment_blobs has one row per distinct content, whichever adapter wrote it. The database adapter keeps
// the bytes in that row (the default: SQLite stays one file, and a backup of the database is complete); the
// disk adapter keeps them in a file named by the hash under ATTACHMENT_DIR and leaves `content` null. Reading
// looks at the row, so content written by either adapter stays readable after the setting changes.
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform, Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Bytes of the start of a file kept for sniffing its type (file-type reads at most 4,100). */
const HEAD_BYTES = 4100

/** A file written while it arrived, not yet recorded: commit it inside the transaction that refers to it. */
export interface StagedBlob {
  sha256: string
  size: number
  /** The first bytes, for sniffing the content type. */
  head: Buffer
  /** Records the blob (or refreshes the existing one with the same hash) inside `trx`. */
  commit(trx: Kysely<DB>, at: number): Promise<void>
  /** Drops what was written (a rejected upload). */
  discard(): Promise<void>
}

export interface AttachmentStore {
  readonly kind: 'database' | 'disk'
  /**
   * Reads `source` to the end, hashing as it goes. Throws `TooLarge` past `maxBytes`; the source is then
   * abandoned, and nothing is kept.
   */
  stage(source: Iterable<Buffer> | AsyncIterable<Buffer | Uint8Array>, maxBytes: number): Promise<StagedBlob>
  read(db: Kysely<DB>, sha256: string): Promise<Buffer>
  /**
   * Deletes the files of blobs whose rows the caller just deleted, as the last step of that transaction (see
   * deleteOrphanBlobs for why this is safe against an upload of the same bytes).
   */
  purge(sha256s: string[]): Promise<void>
  /** Deletes partial files of uploads cut off before `before` (a crash, a dropped connection); returns how many. */
  sweepPartial(before: number): Promise<number>
}

export class TooLarge extends Error {}

/** The store the configuration names. */
export function attachmentStore(config: { storage: 'database' | 'disk'; dir: string }): AttachmentStore {
  return config.storage === 'disk'
    ? new DiskStore(resolve(config.dir))
    : new DatabaseStore(resolve(config.dir))
}

/** Stages a buffer already in memory (mail intake, osTicket data: URLs) and commits it in `trx`. */
export async function storeBuffer(
  store: AttachmentStore,
  trx: Kysely<DB>,
  content: Buffer,
  at: number,
): Promise<string> {
  const staged = await store.stage([content], Number.MAX_SAFE_INTEGER)
  await staged.commit(trx, at)
  return staged.sha256
}

function recordBlob(
  trx: Kysely<DB>,
  row: { sha256: string; size: number; content: Buffer | null },
  at: number,
) {
  return trx
    .insertInto('attachment_blobs')
    .values({ ...row, created_at: at, touched_at: at })
    .onConflict((oc) => oc.column('sha256').doUpdateSet({ touched_at: at }))
    .execute()
}

/** A Transform that hashes, counts and keeps the head of what passes through. */
function meter(maxBytes: number) {
  const hash = createHash('sha256')
  const head: Buffer[] = []
  let headLength = 0
  let size = 0
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > maxBytes) return done(new TooLarge())
      hash.update(chunk)
      if (headLength < HEAD_BYTES) {
        head.push(chunk.subarray(0, HEAD_BYTES - headLength))
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength)
      }
      done(null, chunk)
    },
  })
  return {
    transform,
    result: () => ({ sha256: hash.digest('hex'), size, head: Buffer.concat(head) }),
  }
}

class DatabaseStore implements AttachmentStore {
  readonly kind = 'database'
  constructor(private readonly dir: string) {}

  async stage(
    source: Iterable<Buffer> | AsyncIterable<Buffer | Uint8Array>,
    maxBytes: number,
  ): Promise<StagedBlob> {
    const m = meter(maxBytes)
    const chunks: Buffer[] = []
    await pipeline(Readable.from(source), m.transform, async (stream: AsyncIterable<Buffer>) => {
      for await (const chunk of stream) chunks.push(chunk)
    })
    const { sha256, size, head } = m.result()
    const content = Buffer.concat(chunks)
    return {
      sha256,
      size,
      head,
      commit: async (trx, at) => {
        await recordBlob(trx, { sha256, size, content }, at)
        // A blob the disk store wrote earlier has no content in its row: it keeps its file.
      },
      discard: async () => {},
    }
  }

  read(db: Kysely<DB>, sha256: string): Promise<Buffer> {
    return readBlob(db, this.dir, sha256)
  }

  // Files too: content written while the disk store was configured is still on disk after a switch.
  purge(sha256s: string[]): Promise<void> {
    return purgeFiles(this.dir, sha256s)
  }

  async sweepPartial(): Promise<number> {
    return 0
  }
}

class DiskStore implements AttachmentStore {
  readonly kind = 'disk'
  constructor(private readonly dir: string) {}

  async stage(
    source: Iterable<Buffer> | AsyncIterable<Buffer | Uint8Array>,
    maxBytes: number,
  ): Promise<StagedBlob> {
    const tmpDir = join(this.dir, 'tmp')
    await mkdir(tmpDir, { recursive: true })
    const tmp = join(tmpDir, randomBytes(12).toString('hex'))
    const m = meter(maxBytes)
    try {
      await pipeline(Readable.from(source), m.transform, createWriteStream(tmp, { flags: 'wx' }))
    } catch (error) {
      await rm(tmp, { force: true })
      throw error
    }
    const { sha256, size, head } = m.result()
    return {
      sha256,
      size,
      head,
      commit: async (trx, at) => {
        // The row first: on PostgreSQL it waits for a sweep deleting the same blob to commit (its file gone).
        await recordBlob(trx, { sha256, size, content: null }, at)
        const target = blobPath(this.dir, sha256)
        await mkdir(join(target, '..'), { recursive: true })
        // Same hash, same bytes: a file already there is kept, the new copy dropped.
        if (await exists(target)) await rm(tmp, { force: true })
        else await rename(tmp, target)
      },
      discard: () => rm(tmp, { force: true }),
    }
  }

  read(db: Kysely<DB>, sha256: string): Promise<Buffer> {
    return readBlob(db, this.dir, sha256)
  }

  // Files too: content written while the disk store was configured is still on disk after a switch.
  purge(sha256s: string[]): Promise<void> {
    return purgeFiles(this.dir, sha256s)
  }

  async sweepPartial(before: number): Promise<number> {
    const tmpDir = join(this.dir, 'tmp')
    const names = await readdir(tmpDir).catch(() => [] as string[])
    let removed = 0
    for (const name of names) {
      const path = join(tmpDir, name)
      const info = await stat(path).catch(() => undefined)
      if (info && info.mtimeMs < before) {
        await rm(path, { force: true })
        removed++
      }
    }
    return removed
  }
}

const blobPath = (dir: string, sha256: string) => join(dir, sha256.slice(0, 2), sha256)

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

async function readBlob(db: Kysely<DB>, dir: string, sha256: string): Promise<Buffer> {
  const row = await db
    .selectFrom('attachment_blobs')
    .select(['content'])
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  if (!row) throw new Error(`attachment content ${sha256} is missing`)
  if (row.content !== null) return Buffer.from(row.content)
  return readFile(blobPath(dir, sha256))
}

async function purgeFiles(dir: string, sha256s: string[]): Promise<void> {
  for (const sha256 of sha256s) await rm(blobPath(dir, sha256), { force: true })
}
