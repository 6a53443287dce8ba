// A kept outgoing message (Mail preview), field by field.
import { z } from 'zod'
import type { MailPreviewTable } from '../db/schema.ts'
import { iso8601 } from './ticketPresenter.ts'

type Row = Omit<MailPreviewTable, 'id'> & { id: number }

export const MailPreviewSummaryOut = z.object({
  id: z.number(),
  kind: z.string().describe('The template: password_reset, ticket_link, new_ticket_autoresponse, …'),
  to: z.object({ address: z.string(), name: z.string().nullable() }),
  subject: z.string(),
  createdAt: z.string(),
})

export const MailPreviewOut = MailPreviewSummaryOut.extend({
  text: z.string(),
  html: z.string().nullable().describe('Show it in a sandboxed frame: it is mail, not part of this app'),
  attachments: z.array(z.string()).describe('The names of the files it carried (the files are not kept)'),
})

export const presentMailPreviewSummary = (
  r: Pick<Row, 'id' | 'kind' | 'to_address' | 'to_name' | 'subject' | 'created_at'>,
): z.infer<typeof MailPreviewSummaryOut> => ({
  id: r.id,
  kind: r.kind,
  to: { address: r.to_address, name: r.to_name },
  subject: r.subject,
  createdAt: iso8601(r.created_at),
})

export const presentMailPreview = (r: Row): z.infer<typeof MailPreviewOut> => ({
  ...presentMailPreviewSummary(r),
  text: r.text_body,
  html: r.html_body,
  attachments: (JSON.parse(r.attachments) as unknown[]).map(String),
})
