// Where the SMTP listener keeps a message while it arrives: the first bytes in memory, the rest in a file of
// its own, so what a client can make the process hold does not grow with the size of what it sends.
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export class SpoolDirectory {
  private constructor(readonly path: string) {}

  /** A private directory under TMPDIR (mode 0700), removed by `remove()`. */
  static async create(): Promise<SpoolDirectory> {
    return new SpoolDirectory(await mkdtemp(join(tmpdir(), 'switchboard-smtp-')))
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true })
  }
}

export class Spool {
  private memory: Buffer[] = []
  /** Bytes held in memory. */
  inMemory = 0
  size = 0
  private file: WriteStream | undefined
  private filePath: string | undefined
  private failure: Error | undefined

  constructor(private readonly directory: SpoolDirectory) {}

  /** The write failed (disk full, say): the message cannot be kept. */
  get failed(): Error | undefined {
    return this.failure
  }

  /**
   * Adds a chunk, in memory when `toMemory` (the caller decides by its budget) and nothing was written to the
   * file yet, else to the file. False means the file's buffer is full: pause the source until `drained`.
   */
  write(chunk: Buffer, toMemory: boolean): boolean {
    this.size += chunk.length
    if (toMemory && !this.file) {
      this.memory.push(chunk)
      this.inMemory += chunk.length
      return true
    }
    if (!this.file) {
      this.filePath = join(this.directory.path, randomUUID())
      this.file = createWriteStream(this.filePath, { flags: 'wx', mode: 0o600 })
      this.file.on('error', (error) => (this.failure ??= error))
    }
    return this.file.write(chunk)
  }

  drained(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.file || this.file.destroyed) return resolve()
      const done = () => {
        this.file?.off('drain', done)
        this.file?.off('close', done)
        resolve()
      }
      this.file.once('drain', done)
      this.file.once('close', done)
    })
  }

  /** The whole message; the spool is empty afterwards. */
  async read(): Promise<Buffer> {
    const head = this.memory
    this.memory = []
    this.inMemory = 0
    const file = this.file
    if (!file) return Buffer.concat(head)
    await new Promise<void>((resolve, reject) => {
      file.once('error', reject)
      file.end(() => resolve())
    })
    try {
      return Buffer.concat([...head, await readFile(this.filePath!)])
    } finally {
      this.discard()
    }
  }

  /** Forgets the message: memory released, file removed. Safe to call more than once. */
  discard(): void {
    this.memory = []
    this.inMemory = 0
    const [file, path] = [this.file, this.filePath]
    this.file = undefined
    this.filePath = undefined
    if (!file || !path) return
    const remove = () => void unlink(path).catch(() => {})
    // Unlinking before a pending open has created the file would leave it behind: wait for the close.
    if (file.closed) remove()
    else {
      file.once('close', remove)
      file.destroy()
    }
  }
}
