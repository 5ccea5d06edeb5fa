import { z } from 'zod';
import { EXPORT_TARGETS } from './export-user.ts';

export const targetParams = z.object({
  target: z.string().refine((t) => (EXPORT_TARGETS as readonly string[]).includes(t), { message: `must be one of ${EXPORT_TARGETS.join(', ')}` }),
});

// A hostname: labels of letters, digits and hyphens (an RP ID is a domain, WebAuthn Level 3 §5.1.2).
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const exportQuery = z.object({
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-01T00:00:00Z' }).optional(),
  rp_id: z.string().toLowerCase().regex(HOSTNAME, 'must be a host name such as example.com').optional(),
  omit: z.string().optional().transform((v, ctx) => {
    const kinds = (v ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    for (const k of kinds) if (k !== 'totp' && k !== 'passkey') ctx.addIssue({ code: 'custom', message: `"${k}" is not totp or passkey` });
    return new Set(kinds as Array<'totp' | 'passkey'>);
  }),
}).strict();

/** At most 1,000 of each per call: the CLI sends a large export's ids in batches, within the 64 KiB JSON limit. */
export const confirmBody = z.object({
  user_ids: z.array(z.uuid('must be a cutover user id (a UUID)')).max(1000, 'at most 1,000 per request').default([]),
  logins: z.array(z.string().trim().min(1).max(320)).max(1000, 'at most 1,000 per request').default([]),
}).strict().refine((b) => b.user_ids.length + b.logins.length > 0, { message: 'give user_ids or logins', path: ['user_ids'] });
