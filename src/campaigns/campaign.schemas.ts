import { z } from 'zod';
import { PATHS } from '../migration/import/export-row.ts';
import { isTimeZone } from '../identity/is-time-zone.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;


const staffedHours = z.object({
  days: z.array(z.number().int().min(1, 'days are ISO weekdays 1 (Monday) to 7 (Sunday)').max(7, 'days are ISO weekdays 1 (Monday) to 7 (Sunday)')).min(1).max(7),
  start: z.string().regex(TIME, 'must be a local time "HH:MM"'),
  end: z.string().regex(TIME, 'must be a local time "HH:MM", or "24:00" for the end of the day'),
}).refine((h) => h.start < h.end, { message: 'end must be after start', path: ['end'] });

export const helpdeskSchema = z.object({
  capacity_per_hour: z.number().positive('must be more than 0').max(100_000),
  contact_rate: z.number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]'),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/London"'),
  hours: z.array(staffedHours).min(1, 'needs at least one staffed period').max(50),
});

export const campaignSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like "en"').default('en'),
  link_ttl_hours: z.number().int().min(1).max(24 * 90).default(72),
  reminders_after_hours: z.array(z.number().int().min(1).max(24 * 90)).max(10).default([])
    .refine((hours) => hours.every((h, i) => i === 0 || h > hours[i - 1]!), 'must be increasing'),
  methods: z.array(z.enum(['passkey', 'totp'])).min(1).max(2).default(['passkey', 'totp']),
  max_per_hour: z.number().int().positive().max(1_000_000).nullable().default(null),
  helpdesk: helpdeskSchema,
});

export const campaignPatchSchema = campaignSchema.partial().extend({
  helpdesk: helpdeskSchema.partial().optional(),
}).refine((patch) => Object.keys(patch).length > 0, 'send at least one setting to change');

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time');

export const cohortSchema = z.object({
  paths: z.array(z.enum(PATHS)).min(1).optional(),
  last_login_after: isoTime.optional(),
  last_login_before: isoTime.optional(),
  email_domains: z.array(z.string().trim().toLowerCase().regex(/^@?[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain like "example.com"')).max(1000).optional(),
  locales: z.array(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag')).max(100).optional(),
  legacy_ids: z.array(z.string().min(1).max(255)).max(100_000).optional(),
}).strict();

export const waveSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  cohort: cohortSchema.default({}),
  size: z.number().int().positive().max(100_000_000).nullable().optional(),
  start_at: isoTime.optional(),
});

export const cancelWaveSchema = z.object({ revoke_links: z.boolean().default(false) });
