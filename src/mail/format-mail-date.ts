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
  const [full, day] = formatters(tag, zone);
  return { full: full.format(date), day: day.format(date) };
}

// Building an Intl.DateTimeFormat costs far more than using one, and a wave formats thousands of dates in a few
// locales and zones: keep them.
const FORMATTERS = new Map<string, [Intl.DateTimeFormat, Intl.DateTimeFormat]>();
const ZONES = new Map<string, string | null>();

function formatters(tag: string[], zone: string): [Intl.DateTimeFormat, Intl.DateTimeFormat] {
  const key = `${tag.join(',')}|${zone}`;
  let pair = FORMATTERS.get(key);
  if (!pair) {
    pair = [
      new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short' }),
      new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', timeZone: zone }),
    ];
    if (FORMATTERS.size < 2000) FORMATTERS.set(key, pair);
  }
  return pair;
}

function validTimeZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  let zone = ZONES.get(timeZone);
  if (zone === undefined) {
    try {
      zone = new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
    } catch {
      zone = null;
    }
    if (ZONES.size < 2000) ZONES.set(timeZone, zone);
  }
  return zone;
}
