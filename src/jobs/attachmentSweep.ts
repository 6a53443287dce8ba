// Uploads nobody attached expire (ATTACHMENT_UPLOAD_TTL_HOURS), and content nothing refers to any more is
// deleted: its row, and its file with the disk store, whose partial files of cut-off uploads go too. A blob touched within the TTL is spared, so an upload
// of the same bytes in flight keeps it.
import type { App } from '../app.ts'
import { deleteExpiredUploads, deleteOrphanBlobs } from '../repositories/attachmentRepo.ts'

const BATCH = 500

export async function runAttachmentSweep(app: App): Promise<{ uploads: number; blobs: number }> {
  const now = app.clock.now()
  const uploads = await app.db.transact((trx) => deleteExpiredUploads(trx, now))
  let blobs = 0
  for (;;) {
    const n = await app.db.transact(async (trx) => {
      const gone = await deleteOrphanBlobs(trx, now - app.config.attachments.uploadTtlMs, BATCH)
      // The last step of the transaction (see deleteOrphanBlobs).
      await app.attachments.purge(gone)
      return gone.length
    })
    blobs += n
    if (n < BATCH) break
  }
  // File times are the machine's, not the app clock's: an upload takes far less than an hour.
  await app.attachments.sweepPartial(Date.now() - 3_600_000)
  return { uploads, blobs }
}
