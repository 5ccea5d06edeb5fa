import type { MailKind } from './mail-templates.ts';

export type { MailKind };

/** What a mail may say. Invitations and reminders need `link` and `expiresAt`; `enrolled` needs `method`. */
export interface MailContext {
  org: { name: string; supportEmail: string; supportUrl?: string | null };
  user: { givenName?: string | null; name?: string | null; email: string };
  /** The re-enrolment link, with its token. Never logged. */
  link?: string;
  expiresAt?: Date;
  /** The user's IANA zone; UTC when unknown. */
  timezone?: string | null;
  /** 1 for the first reminder. */
  reminderNumber?: number;
  method?: 'passkey' | 'totp';
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  /** The template locale used. */
  locale: string;
  /** True when the user's locale had no templates and English stood in. */
  fellBack: boolean;
}
