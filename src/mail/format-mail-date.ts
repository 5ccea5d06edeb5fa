export interface MailDate {
  /** Weekday, date, time and zone: "Saturday, 5 December 2026 at 17:00 CET". */
  full: string;
  /** Day and month, for subjects: "5 December". */
  day: string;
}

// Bare "en" reads as en-US (December 5, 5:00 PM); day-month order and 24-hour time are unambiguous everywhere.
const REGION_FOR_LANGUAGE: Record<string, string> = { en: 'en-GB' };

/**
 * Formats a moment for a mail in the reader's locales (most specific first) and time zone. An unknown or missing
 * zone gives UTC, with "UTC" printed, so the time is never silently wrong.
 */
export function formatMailDate(date: Date, locales: string[], timeZone: string | null | undefined): MailDate {
  const zone = validTimeZone(timeZone) ?? 'UTC';
  // Intl picks the first of these it supports ("de-AT", else "de").
  const tag = locales.map((locale) => REGION_FOR_LANGUAGE[locale] ?? locale);
  return {
    full: new Intl.DateTimeFormat(tag, {
      weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
      hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short',
    }).format(date),
    day: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', timeZone: zone }).format(date),
  };
}

function validTimeZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
