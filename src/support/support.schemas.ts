import { z } from 'zod';

/** Every support action says why: it goes into the audit entry. */
const reason = z.string({ message: 'is required: say why you are doing this' }).trim().min(3, 'is required: say why you are doing this (at least 3 characters)').max(500, 'must be at most 500 characters');
const campaignId = z.string().uuid('must be a campaign id').optional();

export const searchQuery = z.object({
  q: z.string({ message: 'is required' }).trim().min(1, 'is required').max(320, 'must be at most 320 characters'),
});

export const resendSchema = z.object({ reason, campaign_id: campaignId });
export const resetSchema = z.object({ reason, campaign_id: campaignId });
export const clearLockoutSchema = z.object({ reason });
export const liftSuppressionSchema = z.object({ reason });

export const MAX_EXTEND_HOURS = 14 * 24;
export const extendSchema = z.object({
  reason,
  hours: z.coerce.number({ message: 'must be a number of hours' }).int('must be a whole number of hours').min(1, 'must be at least 1').max(MAX_EXTEND_HOURS, `must be at most ${MAX_EXTEND_HOURS} (14 days)`),
});

export const CONTACT_CHANNELS = ['phone', 'chat', 'email', 'other'] as const;
export const contactSchema = z.object({
  reason,
  channel: z.enum(CONTACT_CHANNELS, { message: `must be one of ${CONTACT_CHANNELS.join(', ')}` }),
  note: z.string().trim().max(2000, 'must be at most 2000 characters').optional().transform((n) => n || undefined),
});
