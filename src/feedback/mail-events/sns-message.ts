import { createVerify } from 'node:crypto';

/**
 * Amazon SNS message signatures (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
 * SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, over "Key\nValue\n" for a fixed list of fields in a fixed
 * order, with the certificate from SigningCertURL, which must be an SNS host over https.
 */
export interface SnsMessage {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;
export const SNS_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'];

export function asSnsMessage(body: unknown): SnsMessage | null {
  const m = body as Record<string, unknown> | null;
  if (!m || typeof m !== 'object') return null;
  const text = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'];
  if (!text.every((k) => typeof m[k] === 'string')) return null;
  if (!SNS_TYPES.includes(m.Type as string)) return null;
  for (const k of ['Subject', 'SubscribeURL', 'Token']) if (m[k] !== undefined && m[k] !== null && typeof m[k] !== 'string') return null;
  return m as unknown as SnsMessage;
}

export function snsStringToSign(message: SnsMessage): string {
  const fields = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let out = '';
  for (const field of fields) {
    const value = (message as unknown as Record<string, string | undefined>)[field];
    if (value === undefined || value === null) continue; // Subject only when present
    out += `${field}\n${value}\n`;
  }
  return out;
}

export function verifySnsSignature(message: SnsMessage, certificatePem: string): boolean {
  const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : message.SignatureVersion === '2' ? 'RSA-SHA256' : null;
  if (!algorithm) return false;
  try {
    return createVerify(algorithm).update(snsStringToSign(message), 'utf8').verify(certificatePem, message.Signature, 'base64');
  } catch {
    return false;
  }
}

/** The region of an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic>. */
export const topicRegion = (arn: string): string | undefined => /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]+$/.exec(arn)?.[1];

/**
 * A URL on the SNS endpoint of `region`, parsed strictly: https, host exactly sns.<region>.amazonaws.com, no
 * user info, no port. Anything else (another host, a lookalike, an IP, a redirect target) is refused before any
 * request is made.
 */
export function snsUrl(value: string | undefined, region: string): URL | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  if (url.hostname !== `sns.${region}.amazonaws.com`) return null;
  return url;
}

/** SigningCertURL: an SNS host, a path ending in .pem, no query. */
export function signingCertUrl(value: string, region: string): URL | null {
  const url = snsUrl(value, region);
  return url && url.pathname.endsWith('.pem') && !url.search && !url.hash ? url : null;
}

/** SubscribeURL: the SNS host's ConfirmSubscription action for this very topic. */
export function subscribeUrl(value: string | undefined, region: string, topicArn: string): URL | null {
  const url = snsUrl(value, region);
  if (!url || url.pathname !== '/' || url.hash) return null;
  return url.searchParams.get('Action') === 'ConfirmSubscription' && url.searchParams.get('TopicArn') === topicArn ? url : null;
}
