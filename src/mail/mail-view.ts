import { formatMailDate } from './format-mail-date.ts';
import type { MailContext, MailKind } from './mail-context.ts';

/**
 * The values a template sees. Every key is always present (null when it does not apply), because templates are
 * compiled in strict mode: a misspelt name throws instead of printing nothing.
 */
export interface MailView {
  locale: string;
  org: { name: string; supportEmail: string; supportUrl: string | null };
  user: { givenName: string | null; name: string | null; email: string };
  link: string | null;
  /** The link's host, so readers can see where it leads before they click. */
  linkHost: string | null;
  expires: string | null;
  expiresDay: string | null;
  reminderNumber: number | null;
  /** For `enrolled`: how the user signs in now. */
  method: 'passkey' | 'totp' | null;
}

/** Checks that `context` has what `kind` needs, then builds the view; `locales` format the dates, most specific first. */
export function mailView(kind: MailKind, context: MailContext, locale: string, formatLocales: string[]): MailView {
  const needsLink = kind === 'invitation' || kind === 'reminder';
  if (needsLink) {
    if (!context.link) throw new Error(`renderMail("${kind}") needs context.link, got nothing`);
    if (!(context.expiresAt instanceof Date) || Number.isNaN(context.expiresAt.getTime())) {
      throw new Error(`renderMail("${kind}") needs context.expiresAt as a valid Date, got ${String(context.expiresAt)}`);
    }
  }
  if (kind === 'reminder' && !(Number.isInteger(context.reminderNumber) && context.reminderNumber! >= 1)) {
    throw new Error(`renderMail("reminder") needs context.reminderNumber (1 or more), got ${String(context.reminderNumber)}`);
  }
  if (kind === 'enrolled' && context.method !== 'passkey' && context.method !== 'totp') {
    throw new Error(`renderMail("enrolled") needs context.method "passkey" or "totp", got ${String(context.method)}`);
  }
  const link = needsLink ? httpUrl(context.link!) : null;
  const expires = needsLink ? formatMailDate(context.expiresAt!, formatLocales, context.timezone) : null;
  return {
    locale,
    org: { name: context.org.name, supportEmail: context.org.supportEmail, supportUrl: context.org.supportUrl || null },
    user: { givenName: personName(context.user.givenName), name: personName(context.user.name), email: context.user.email },
    link: link?.href ?? null,
    linkHost: link?.host ?? null,
    expires: expires?.full ?? null,
    expiresDay: expires?.day ?? null,
    reminderNumber: kind === 'reminder' ? context.reminderNumber! : null,
    method: kind === 'enrolled' ? context.method! : null,
  };
}

function httpUrl(link: string): URL {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new Error('renderMail needs context.link as an absolute URL, got something else'); // never echo: it holds a token
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`renderMail needs context.link as an http(s) URL, got a "${url.protocol}" URL`);
  }
  return url;
}

/** Imported names are free text: one line, no control characters, short enough for a greeting. */
function personName(name: string | null | undefined): string | null {
  const cleaned = name?.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return cleaned ? [...cleaned].slice(0, 80).join('') : null;
}
