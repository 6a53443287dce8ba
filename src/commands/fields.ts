import { z } from 'zod'
import { checkEmailAddress, normalizeEmail } from '../domain/emailAddress.ts'

/**
 * Free text from people: stored byte-exact (never trimmed), but NUL and lone surrogates are refused because
 * PostgreSQL cannot store the one and UTF-8 cannot encode the other.
 */
export function text(max: number, { min = 1 }: { min?: number } = {}) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((s) => s.isWellFormed(), { message: 'must be valid Unicode text' })
}

/** Text that must say something: whitespace alone is refused. */
export function nonBlank(max: number) {
  return text(max).refine((s) => s.trim().length > 0, { message: 'must not be blank' })
}

// ASCII addresses as zod has always taken them; others (josé@example.org) by letters, marks and digits.
const UNICODE_EMAIL =
  /^[\p{L}\p{M}\p{N}._+'-]{1,64}@(?:[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?\.)+[\p{L}\p{M}]{2,}$/u

/**
 * An email address in its one stored form (NFC, lower case: domain/emailAddress.ts). A look-alike of
 * another address is refused with the stable code `confusable_address`, the rule inbound mail applies too.
 */
export const email = z
  .string()
  .max(254)
  .transform(normalizeEmail)
  .refine((s) => z.regexes.email.test(s) || (/\P{ASCII}/u.test(s) && UNICODE_EMAIL.test(s)), {
    message: 'must be an email address',
  })
  .superRefine((s, ctx) => {
    const check = checkEmailAddress(s)
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message, params: { errorCode: check.code } })
  })

export const id = z.number().int().positive().max(2_147_483_647)

/**
 * The body of a PATCH for an object schema: every field optional, none defaulted. zod's `.partial()` keeps
 * `.default()`, so an omitted field would come back as its default and overwrite the stored value (a
 * "disable" of a help topic used to wipe its form fields and make it public again).
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType
    shape[key] = inner.optional()
  }
  return z.object(shape) as unknown as ReturnType<typeof schema.partial>
}
