import { z } from 'zod';

const MAX_PASSWORD_BYTES = 4096;

/** A login as every hook takes it: trimmed, 1 to 320 characters. */
export const hookLogin = z.string().trim().min(1, 'is required').max(320, 'must be at most 320 characters');
/** A password as every hook takes it: not empty, at most 4 KiB (a longer one is no password, only work for argon2). */
export const hookPassword = z.string().min(1, 'is required')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, `must be at most ${MAX_PASSWORD_BYTES} bytes`);
