import { isTimeZone } from '../../identity/is-time-zone.ts';
import { canonicalLocale } from '../../mail/resolve-mail-locale.ts';
import { EMAIL } from '../import/validate-export-row.ts';
import type { LegacyProfile } from './legacy-verifier.ts';

export interface DroppedProfileField {
  field: 'email' | 'locale' | 'timezone';
  reason: string;
}

/**
 * The legacy profile is checked as an import row would be before anything is stored: email syntax, the locale as
 * a BCP 47 language tag (stored in its canonical form, `de_at` → `de-AT`), the time zone as an IANA zone. A bad
 * value is dropped, never stored, and never fails the sign-in: the password was right.
 */
export function cleanLegacyProfile(profile: LegacyProfile): { profile: LegacyProfile; dropped: DroppedProfileField[] } {
  const clean: LegacyProfile = { ...profile };
  const dropped: DroppedProfileField[] = [];
  if (clean.email !== undefined && (clean.email.length > 254 || !EMAIL.test(clean.email))) {
    delete clean.email;
    dropped.push({ field: 'email', reason: 'is not a valid email address' });
  }
  if (clean.locale !== undefined) {
    const locale = clean.locale.length <= 35 ? canonicalLocale(clean.locale) : null;
    if (locale === null || locale === 'und') {
      delete clean.locale;
      dropped.push({ field: 'locale', reason: 'is not a language tag like "en" or "de-AT"' });
    } else {
      clean.locale = locale;
    }
  }
  if (clean.timezone !== undefined && !isTimeZone(clean.timezone)) {
    delete clean.timezone;
    dropped.push({ field: 'timezone', reason: 'is not an IANA time zone' });
  }
  return { profile: clean, dropped };
}
