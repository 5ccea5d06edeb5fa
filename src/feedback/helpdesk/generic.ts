import { z } from 'zod';
import { validate } from '../../http/validate.ts';
import { InvalidRequestError } from '../../http/app-error.ts';
import { hmac, isFresh, safeEqual } from '../signatures.ts';
import { emailText, idText, type DeskAdapter } from './desk-adapter.ts';

/**
 * cutover's own signed form, for desks with no native signature (Freshdesk, ServiceNow, HubSpot automations):
 * `X-Cutover-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 */
export const genericBody = z.object({
  ticket_id: z.union([z.string().min(1).max(200), z.number()], { message: 'is required' }),
  email: z.string().max(320).optional(),
  legacy_id: z.string().min(1).max(200).optional(),
  channel: z.string().max(100).optional(),
  subject: z.string().max(2000).optional(),
  tags: z.array(z.string().max(200)).max(200).optional(),
  created_at: z.string().max(40).optional(),
}).refine((b) => b.email || b.legacy_id, { message: 'is required: email or legacy_id', path: ['email'] });

export function parseCutoverSignature(header: string | undefined): { t: string; v1: string } | null {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  return parts.t && /^\d{1,12}$/.test(parts.t) && parts.v1 && /^[0-9a-f]{64}$/i.test(parts.v1) ? { t: parts.t, v1: parts.v1 } : null;
}

export const generic: DeskAdapter = {
  desk: 'generic',
  verify({ raw, header, now }, secret) {
    const signature = parseCutoverSignature(header('x-cutover-signature'));
    if (!signature) return 'X-Cutover-Signature (t=…,v1=…) is missing or malformed';
    if (!safeEqual(signature.v1.toLowerCase(), hmac('sha256', secret, `${signature.t}.`, raw).toString('hex'))) return 'signature does not match';
    if (!isFresh(Number(signature.t) * 1000, now)) return `t=${signature.t} is outside the 5-minute window`;
    return null;
  },
  parse(body) {
    const ticket = validate(genericBody, body);
    const email = ticket.email === undefined ? undefined : emailText(ticket.email);
    if (ticket.email !== undefined && !email && !ticket.legacy_id) throw new InvalidRequestError([{ field: 'email', reason: 'must be an email address' }]);
    return { ticket: { ticketId: idText(ticket.ticket_id)!, email, legacyId: ticket.legacy_id, subject: ticket.subject, tags: ticket.tags ?? [] } };
  },
};
