import { z } from 'zod';
import { validate } from '../../http/validate.ts';
import { hmac, safeEqual } from '../signatures.ts';
import { emailText, idText, type DeskAdapter } from './desk-adapter.ts';

/**
 * Help Scout (developer.helpscout.com/webhooks): `X-HelpScout-Signature` is base64(HMAC-SHA1(secret key, body));
 * `X-HelpScout-Event` names the event, and only `convo.created` is a new ticket. The body is the conversation
 * object: the customer is `primaryCustomer` (Mailbox API 2.0) or `customer` (the legacy shape). No delivery
 * timestamp is signed, so a replay is stopped by (desk, ticket id) alone.
 */
const person = z.object({ email: z.string().optional() }).passthrough().nullish();
const conversation = z.object({
  id: z.union([z.string(), z.number()], { message: 'is required: the conversation id' }),
  subject: z.string().max(2000).optional(),
  tags: z.array(z.union([z.string(), z.object({ tag: z.string() }).passthrough()])).max(500).optional(),
  primaryCustomer: person,
  customer: person,
});

export const helpscout: DeskAdapter = {
  desk: 'helpscout',
  verify({ raw, header }, secret) {
    const given = header('x-helpscout-signature');
    if (!given) return 'X-HelpScout-Signature is missing';
    return safeEqual(given.trim(), hmac('sha1', secret, raw).toString('base64')) ? null : 'signature does not match';
  },
  parse(body, { header }) {
    const event = header('x-helpscout-event') ?? '';
    if (event !== 'convo.created') return { ignored: event.slice(0, 80) || 'no X-HelpScout-Event' };
    const convo = validate(conversation, body);
    const ticketId = idText(convo.id)!;
    const email = emailText(convo.primaryCustomer?.email ?? convo.customer?.email);
    if (!email) return { noEmail: 'the conversation names no customer email', ticketId };
    const tags = (convo.tags ?? []).map((t) => (typeof t === 'string' ? t : t.tag));
    return { ticket: { ticketId, email, subject: convo.subject, tags } };
  },
};
