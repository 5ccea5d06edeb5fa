/** A rendered mail, ready to send. */
export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The Message-ID to set (`<id@domain>`); the transport makes one up when it is absent. */
  messageId?: string;
  /** Extra headers, e.g. List-Unsubscribe or a reference to the invitation. */
  headers?: Record<string, string>;
}

/** Where mail goes: the SMTP relay (pooled), or the dev outbox when SMTP_URL is unset outside production. */
export interface MailTransport {
  readonly kind: 'smtp' | 'dev-outbox';
  send(message: MailMessage): Promise<{ messageId: string }>;
  /** True when the relay answers (readiness); the outbox always does. */
  verify(): Promise<boolean>;
  close(): Promise<void>;
}

/** The relay refused the mail for good (SMTP 5xx): mark it bounced, never retry. */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
  constructor(message: string, readonly responseCode?: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The relay could not take it now (4xx, connection lost, timeout): try again later. */
export class TemporaryMailError extends Error {
  override name = 'TemporaryMailError';
  constructor(message: string, readonly responseCode?: number, options?: ErrorOptions) {
    super(message, options);
  }
}
