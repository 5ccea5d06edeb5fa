import { z } from 'zod';
import { validate } from '../../http/validate.ts';
import { InvalidRequestError } from '../../http/app-error.ts';
import { hmac, isFresh, safeEqual } from '../signatures.ts';
import { emailText, idText, type DeskAdapter } from './desk-adapter.ts';

/**
 * Zendesk (developer.zendesk.com/documentation/webhooks/verifying): `X-Zendesk-Webhook-Signature` is
 * base64(HMAC-SHA256(secret, TIMESTAMP + BODY)) with the timestamp in `X-Zendesk-Webhook-Signature-Timestamp`.
 * The body is the one the admin writes in the trigger (README: "Connect your help desk"); a
 * `zen:event-type:ticket.created` event carries `requester_id` and no email, so it is answered 202.
 */
const triggerBody = z.object({
  ticket_id: z.union([z.string(), z.number()], { message: 'is required: {{ticket.id}}' }),
  email: z.string().optional(),
  subject: z.string().max(2000).optional(),
  // {{ticket.tags}} renders as one space-separated string
  tags: z.union([z.string().max(4000), z.array(z.string().max(200)).max(200)]).optional(),
});

export const zendesk: DeskAdapter = {
  desk: 'zendesk',
  verify({ raw, header, now }, secret) {
    const signature = header('x-zendesk-webhook-signature');
    const timestamp = header('x-zendesk-webhook-signature-timestamp');
    if (!signature || !timestamp) return 'X-Zendesk-Webhook-Signature or its timestamp header is missing';
    if (!safeEqual(signature, hmac('sha256', secret, timestamp, raw).toString('base64'))) return 'signature does not match';
    if (!isFresh(Date.parse(timestamp), now)) return `timestamp ${timestamp.slice(0, 40)} is outside the 5-minute window`;
    return null;
  },
  parse(body) {
    const event = body as { type?: unknown; detail?: { id?: unknown } };
    if (typeof event?.type === 'string' && event.type.startsWith('zen:event-type:')) {
      if (event.type !== 'zen:event-type:ticket.created') return { ignored: event.type };
      return { noEmail: 'a ticket.created event names the requester by requester_id only: use a trigger webhook with {{ticket.requester.email}}', ticketId: idText(event.detail?.id) };
    }
    const ticket = validate(triggerBody, body);
    const ticketId = idText(ticket.ticket_id);
    if (!ticketId) throw new InvalidRequestError([{ field: 'ticket_id', reason: 'is required: {{ticket.id}}' }]);
    const email = emailText(ticket.email);
    if (!email) return { noEmail: 'the trigger body has no requester email: add "email": "{{ticket.requester.email}}"', ticketId };
    const tags = Array.isArray(ticket.tags) ? ticket.tags : (ticket.tags ?? '').split(/\s+/).filter(Boolean);
    return { ticket: { ticketId, email, subject: ticket.subject, tags } };
  },
};
