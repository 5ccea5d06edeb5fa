import type { SignedRequest } from '../helpdesk/desk-adapter.ts';

export const PROVIDERS = ['ses', 'sendgrid', 'postmark', 'mailgun'] as const;
export type Provider = (typeof PROVIDERS)[number];
export type MailEventKind = 'permanent_bounce' | 'transient_bounce' | 'complaint';

/** One recipient's bounce or complaint, as cutover keeps it. */
export interface MailEvent {
  /** The provider's id for the event: the idempotency key. */
  eventId: string;
  /** A single-use value the signature covers (Mailgun's token), refused a second time. */
  nonce?: string;
  kind: MailEventKind;
  recipient: string;
  /** The Message-ID header cutover set, without angle brackets, when the provider reports it. */
  messageId?: string;
  occurredAt?: Date;
  detail?: string;
  /** A transient failure the provider itself retries (Mailgun's temporary failures): recorded, not sent again. */
  providerRetries?: true;
}

/** What a provider's request came to: refused (401), or zero or more events (and a protocol note, e.g. SNS). */
export type Received = { refused: string } | { events: MailEvent[]; note?: string };

export interface MailProvider {
  provider: Provider;
  receive(request: SignedRequest): Promise<Received>;
}

/** `<abc@host>` → `abc@host`; anything that is not a plausible Message-ID → undefined. */
export function bareMessageId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bare = value.trim().replace(/^<|>$/g, '');
  return /^[^\s<>]{1,250}@[^\s<>]{1,250}$/.test(bare) ? bare : undefined;
}

export function dateOf(value: unknown): Date | undefined {
  const at = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  return at && Number.isFinite(at.getTime()) ? at : undefined;
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const lowerEmail = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim()) ? value.trim().toLowerCase().slice(0, 320) : undefined;
