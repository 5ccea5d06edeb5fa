import { hmac, isFresh, safeEqual } from '../signatures.ts';
import { bareMessageId, dateOf, lowerEmail, parseJson, type MailEventKind, type MailProvider } from './mail-provider.ts';

/**
 * Mailgun (documentation.mailgun.com, "Securing Webhooks"): the body carries
 * `signature: {timestamp, token, signature}`, where signature = hex HMAC-SHA256(webhook signing key,
 * timestamp + token). The signature covers only timestamp and token, not `event-data`, so the token is single use
 * here (a second request with it records nothing) and the timestamp must be within 5 minutes.
 * Webhook payloads (…/webhooks/webhook-payloads): `event-data.event` is `failed` (severity permanent or
 * temporary) or `complained`.
 */
function kindOf(data: Record<string, unknown>): MailEventKind | null {
  if (data.event === 'complained') return 'complaint';
  if (data.event !== 'failed') return null;
  return data.severity === 'permanent' ? 'permanent_bounce' : 'transient_bounce';
}

export function mailgunProvider(signingKey: string | undefined): MailProvider {
  return {
    provider: 'mailgun',
    async receive({ raw, now }) {
      if (!signingKey) return { refused: 'MAILGUN_WEBHOOK_SIGNING_KEY is not set' };
      const body = parseJson(raw) as { signature?: Record<string, unknown>; 'event-data'?: Record<string, unknown> } | undefined;
      const signature = body?.signature;
      const timestamp = String(signature?.timestamp ?? '');
      const token = String(signature?.token ?? '');
      const given = String(signature?.signature ?? '');
      if (!/^\d{1,12}$/.test(timestamp) || !token || !given) return { refused: 'signature {timestamp, token, signature} is missing' };
      if (!safeEqual(given.toLowerCase(), hmac('sha256', signingKey, timestamp, token).toString('hex'))) return { refused: 'signature does not match' };
      if (!isFresh(Number(timestamp) * 1000, now)) return { refused: `timestamp ${timestamp} is outside the 5-minute window` };
      const data = body?.['event-data'] ?? {};
      const kind = kindOf(data);
      const recipient = lowerEmail(data.recipient);
      if (!kind || !recipient) return { events: [], note: `ignored ${String(data.event)}` };
      const message = data.message as { headers?: Record<string, unknown> } | undefined;
      const status = data['delivery-status'] as { message?: unknown; description?: unknown } | undefined;
      return {
        events: [{
          // event-data.id is unique only within a day, so the event's time goes with it
          eventId: `${String(data.id ?? token)}:${String(data.timestamp ?? '')}`.slice(0, 300), nonce: token.slice(0, 300), kind, recipient,
          messageId: bareMessageId(message?.headers?.['message-id']), occurredAt: dateOf(data.timestamp),
          detail: String(status?.message || status?.description || data.reason || data.event).slice(0, 500),
          // Mailgun retries a temporary failure itself and reports a permanent one when it gives up
          ...(kind === 'transient_bounce' ? { providerRetries: true as const } : {}),
        }],
      };
    },
  };
}
