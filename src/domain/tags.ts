// Ticket tags: one spelling for each tag, whoever writes it (an agent, a macro, a rule). As in Zendesk, tags
// are case-insensitive words: trimmed, lower-cased, inner whitespace joined by a hyphen, so "Spam",
// " spam " and "SPAM" are one tag. A comma separates tags in a queue filter (`?tag=a,b`), so none holds one.
import { z } from 'zod'

export const TAG_MAX_LENGTH = 50
/** Zendesk allows many more; fifty is plenty for a queue filter and keeps the ticket view readable. */
export const TAGS_PER_TICKET = 50

export function normalizeTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, '-')
}

/** A tag as people send it; the output is its normal spelling. */
export const Tag = z
  .string()
  .max(200)
  .transform(normalizeTag)
  .pipe(
    z
      .string()
      .min(1, { message: 'must not be blank' })
      .max(TAG_MAX_LENGTH, { message: `must be at most ${TAG_MAX_LENGTH} characters` })
      .refine((s) => s.isWellFormed() && !/[\p{Cc},]/u.test(s), {
        message: 'must be text without commas or control characters',
      }),
  )

/** A list of tags, normalised and without repeats. */
export const TagList = z
  .array(Tag)
  .max(TAGS_PER_TICKET)
  .transform((tags) => [...new Set(tags)])
