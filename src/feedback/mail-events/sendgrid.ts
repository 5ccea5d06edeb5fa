import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isFresh } from '../signatures.ts';
import { bareMessageId, dateOf, lowerEmail, parseJson, type MailEvent, type MailEventKind, type MailProvider } from './mail-provider.ts';

/**
 * SendGrid's Signed Event Webhook (twilio.com/docs/sendgrid/for-developers/tracking-events/
 * getting-started-event-webhook-security-features): ECDSA (P-256) with SHA-256 over timestamp + raw body, the
 * base64 DER signature in `X-Twilio-Email-Event-Webhook-Signature` and the timestamp (unix seconds) in
 * `X-Twilio-Email-Event-Webhook-Timestamp`. The verification key is base64 DER (SubjectPublicKeyInfo).
 */
export function sendgridPublicKey(key: string): KeyObject {
  const text = key.trim();
  return text.includes('BEGIN PUBLIC KEY')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}

/** Event Webhook reference (twilio.com/docs/sendgrid/for-developers/tracking-events/event): delivery events. */
function kindOf(event: Record<string, unknown>): MailEventKind | null {
  switch (event.event) {
    case 'bounce':
      // type "blocked" is a refusal of this message (often temporary), "bounce" a refusal of the address
      return event.type === 'blocked' ? 'transient_bounce' : 'permanent_bounce';
    case 'dropped': // SendGrid will not send to the address (Bounced Address, Spam Reporting Address, Invalid …)
      return 'permanent_bounce';
    // `deferred`: SendGrid retries it for up to 72 hours and reports the outcome; sending it again here would duplicate.
    case 'spamreport':
      return 'complaint';
    default:
      return null;
  }
}

export function sendgridProvider(publicKey: string | undefined): MailProvider {
  const key = publicKey ? sendgridPublicKey(publicKey) : null;
  return {
    provider: 'sendgrid',
    async receive({ raw, header, now }) {
      if (!key) return { refused: 'SENDGRID_WEBHOOK_PUBLIC_KEY is not set' };
      const signature = header('x-twilio-email-event-webhook-signature');
      const timestamp = header('x-twilio-email-event-webhook-timestamp');
      if (!signature || !timestamp) return { refused: 'X-Twilio-Email-Event-Webhook-Signature or -Timestamp is missing' };
      let valid = false;
      try {
        valid = verify('sha256', Buffer.concat([Buffer.from(timestamp), raw]), key, Buffer.from(signature, 'base64'));
      } catch {
        valid = false;
      }
      if (!valid) return { refused: 'signature does not verify' };
      if (!/^\d{1,12}$/.test(timestamp) || !isFresh(Number(timestamp) * 1000, now)) return { refused: `timestamp ${timestamp.slice(0, 20)} is outside the 5-minute window` };
      const body = parseJson(raw);
      if (!Array.isArray(body)) return { events: [], note: 'the body is not an array of events' };
      const events: MailEvent[] = [];
      for (const item of body.slice(0, 10_000) as Array<Record<string, unknown>>) {
        const kind = item && typeof item === 'object' ? kindOf(item) : null;
        const recipient = lowerEmail(item?.email);
        if (!kind || !recipient) continue;
        const eventId = typeof item.sg_event_id === 'string' && item.sg_event_id
          ? item.sg_event_id
          : `${String(item.sg_message_id ?? item['smtp-id'] ?? '')}:${String(item.event)}:${recipient}:${String(item.timestamp ?? '')}`;
        events.push({
          eventId: eventId.slice(0, 300), kind, recipient, messageId: bareMessageId(item['smtp-id']), occurredAt: dateOf(item.timestamp),
          detail: String(item.reason ?? item.response ?? item.event).slice(0, 500),
        });
      }
      return { events };
    },
  };
}
