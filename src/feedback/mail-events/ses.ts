import type { Logger } from '../../observability/logger.ts';
import { isFresh } from '../signatures.ts';
import { bareMessageId, dateOf, lowerEmail, parseJson, type MailEvent, type MailProvider } from './mail-provider.ts';
import { asSnsMessage, signingCertUrl, subscribeUrl, topicRegion, verifySnsSignature } from './sns-message.ts';

/** GETs an https URL on an SNS host and answers its body (the signing certificate, or a subscription confirmation). */
export type SnsHttpGet = (url: URL) => Promise<string>;

const CERT_CACHE_MAX = 20;
const MAX_CERT_BYTES = 16 * 1024;

/** The real GET: no redirects (a redirect could leave the SNS host), a short timeout, a small body. */
export const fetchFromSns: SnsHttpGet = async (url) => {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`SNS answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_CERT_BYTES) throw new Error('SNS answer too large');
  return text;
};

/**
 * Amazon SES bounce and complaint notifications through SNS (docs.aws.amazon.com/ses/latest/dg/
 * notification-contents.html). Order of checks: the topic is one of SES_SNS_TOPIC_ARNS, the certificate URL is on
 * that topic's regional SNS host, the signature verifies, the timestamp is fresh; only then is a
 * SubscriptionConfirmation confirmed (its SubscribeURL checked the same way) or a Notification read.
 */
export function sesProvider(topicArns: string[], get: SnsHttpGet, logger: Logger): MailProvider {
  const certificates = new Map<string, string>();
  // A URL that failed is not asked again for 10 minutes: a stream of made-up .pem paths on the SNS host (possible
  // for anyone who knows an accepted topic ARN) costs one outgoing request each, not one per request.
  const failed = new Map<string, number>();
  const certificateFor = async (url: URL): Promise<string> => {
    const cached = certificates.get(url.href);
    if (cached) return cached;
    if ((failed.get(url.href) ?? 0) > Date.now()) throw new Error('fetched and failed in the last 10 minutes');
    let pem: string;
    try {
      pem = await get(url);
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not a PEM certificate');
    } catch (error) {
      if (failed.size >= 1000) failed.clear();
      failed.set(url.href, Date.now() + 10 * 60_000);
      throw error;
    }
    if (certificates.size >= CERT_CACHE_MAX) certificates.delete(certificates.keys().next().value!);
    certificates.set(url.href, pem);
    return pem;
  };

  return {
    provider: 'ses',
    async receive({ raw, now }) {
      if (topicArns.length === 0) return { refused: 'SES_SNS_TOPIC_ARNS is not set' };
      const message = asSnsMessage(parseJson(raw));
      if (!message) return { refused: 'not an SNS message' };
      if (!topicArns.includes(message.TopicArn)) return { refused: `topic ${message.TopicArn.slice(0, 200)} is not in SES_SNS_TOPIC_ARNS` };
      const region = topicRegion(message.TopicArn)!;
      const certUrl = signingCertUrl(message.SigningCertURL, region);
      if (!certUrl) return { refused: `SigningCertURL is not an https .pem on sns.${region}.amazonaws.com` };
      let pem: string;
      try {
        pem = await certificateFor(certUrl);
      } catch (error) {
        return { refused: `signing certificate not fetched: ${(error as Error).message}` };
      }
      if (!verifySnsSignature(message, pem)) return { refused: 'SNS signature does not verify' };
      if (!isFresh(Date.parse(message.Timestamp), now)) return { refused: `Timestamp ${message.Timestamp.slice(0, 40)} is outside the 5-minute window` };

      if (message.Type === 'SubscriptionConfirmation') {
        const confirm = subscribeUrl(message.SubscribeURL, region, message.TopicArn);
        if (!confirm) return { refused: 'SubscribeURL is not the ConfirmSubscription action on this topic\'s SNS host' };
        await get(confirm);
        logger.info({ topic: message.TopicArn }, 'SNS subscription confirmed');
        return { events: [], note: 'subscription confirmed' };
      }
      if (message.Type === 'UnsubscribeConfirmation') return { events: [], note: 'unsubscribe noted' };
      return { events: sesEvents(message.MessageId, parseJson(Buffer.from(message.Message))) };
    },
  };
}

/** notificationType (or eventType, with event publishing) Bounce or Complaint; one event per recipient. */
export function sesEvents(snsMessageId: string, notification: unknown): MailEvent[] {
  const n = notification as {
    notificationType?: string; eventType?: string;
    mail?: { commonHeaders?: { messageId?: string } };
    bounce?: { bounceType?: string; bounceSubType?: string; timestamp?: string; bouncedRecipients?: Array<{ emailAddress?: string; diagnosticCode?: string }> };
    complaint?: { timestamp?: string; complaintFeedbackType?: string; complainedRecipients?: Array<{ emailAddress?: string }> };
  } | undefined;
  const type = n?.notificationType ?? n?.eventType;
  const messageId = bareMessageId(n?.mail?.commonHeaders?.messageId);
  const events: MailEvent[] = [];
  if (type === 'Bounce' && n?.bounce) {
    // Permanent: the address is gone. Transient and Undetermined: try again later.
    const kind = n.bounce.bounceType === 'Permanent' ? 'permanent_bounce' : 'transient_bounce';
    for (const r of (n.bounce.bouncedRecipients ?? []).slice(0, 100)) {
      const recipient = lowerEmail(r.emailAddress);
      if (recipient) events.push({ eventId: `${snsMessageId}:${recipient}`, kind, recipient, messageId, occurredAt: dateOf(n.bounce.timestamp), detail: String(r.diagnosticCode ?? `${n.bounce.bounceType}/${n.bounce.bounceSubType}`).slice(0, 500) });
    }
  }
  if (type === 'Complaint' && n?.complaint) {
    for (const r of (n.complaint.complainedRecipients ?? []).slice(0, 100)) {
      const recipient = lowerEmail(r.emailAddress);
      if (recipient) events.push({ eventId: `${snsMessageId}:${recipient}`, kind: 'complaint', recipient, messageId, occurredAt: dateOf(n.complaint.timestamp), detail: String(n.complaint.complaintFeedbackType ?? 'complaint').slice(0, 500) });
    }
  }
  return events;
}
