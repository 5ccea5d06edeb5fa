import { z } from 'zod';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date');
const blankIsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The audit filters, from a query string (the page's form or the API). Blank fields mean "any". */
export const auditQuery = z.object({
  actor: blankIsAbsent(z.string().trim().max(320, 'must be at most 320 characters')),
  action: blankIsAbsent(z.string().trim().max(100, 'must be at most 100 characters')),
  target: blankIsAbsent(z.string().trim().max(200, 'must be at most 200 characters')),
  from: blankIsAbsent(day),
  to: blankIsAbsent(day),
  before: blankIsAbsent(z.coerce.number().int('must be an entry id').positive('must be an entry id')),
});
