import { z } from 'zod';

/** cutover's error shape (src/http/error-handler.ts): a code, and a message or the fields that were wrong. */
export const errorBody = z.object({
  error: z.string(),
  message: z.string().optional(),
  fields: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  verified: z.literal(false).optional(),
  retry_after: z.number().int().optional(),
});

const publicUser = z.object({
  id: z.string().uuid(), legacy_id: z.string(), email: z.string().nullable(), email_verified: z.boolean().nullable(), name: z.string().nullable(),
  given_name: z.string().nullable(), family_name: z.string().nullable(), locale: z.string().nullable(), timezone: z.string().nullable(),
  phone: z.string().nullable(), attributes: z.record(z.string(), z.unknown()), path: z.enum(['bulk_hash', 'jit', 'reset']),
  state: z.enum(['pending', 'migrated', 'enrolled', 'disabled']),
});

/** The answer of POST /api/v1/verify (VerifyResult in src/migration/verify/verify.service.ts). */
export const verifyResult = z.object({
  verified: z.literal(true),
  path: z.enum(['bulk_hash', 'jit', 'reset']),
  rehashed: z.boolean(),
  migrated: z.boolean(),
  method: z.enum(['passkey', 'totp', 'password', 'recovery_code']),
  user: z.union([publicUser, z.object({ id: z.null(), legacy_id: z.string().nullable(), email: z.string().nullable() })]),
  totp: z.object({ secret: z.string() }).optional(),
});

/** Any JSON object: the routes whose answers are described in the README's API table rather than here. */
export const jsonObject = z.record(z.string(), z.unknown());
