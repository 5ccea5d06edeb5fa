export interface ResolvedLocale {
  /** The template locale to use: one of `available`. */
  locale: string;
  /** True when neither the locale nor its language has templates and English stands in. */
  fellBack: boolean;
}

export const DEFAULT_MAIL_LOCALE = 'en';

/**
 * Picks the templates for a user's locale: the exact tag ("de-AT"), then its language ("de"), then English.
 * Tags compare without regard to case or `_` vs `-`. A user without a locale gets English without counting as a
 * fallback: there was nothing to fall back from.
 */
export function resolveMailLocale(requested: string | null | undefined, available: readonly string[]): ResolvedLocale {
  const byLowerCase = new Map(available.map((locale) => [locale.toLowerCase(), locale]));
  const tag = canonicalLocale(requested);
  if (!tag) return { locale: DEFAULT_MAIL_LOCALE, fellBack: false };
  const exact = byLowerCase.get(tag.toLowerCase());
  if (exact) return { locale: exact, fellBack: false };
  const language = byLowerCase.get(tag.split('-')[0]!.toLowerCase());
  if (language) return { locale: language, fellBack: false };
  return { locale: DEFAULT_MAIL_LOCALE, fellBack: true };
}

/** "de_at" → "de-AT"; null for a blank tag, "und" (undetermined) for one that is not a language tag. */
export function canonicalLocale(requested: string | null | undefined): string | null {
  const trimmed = requested?.trim().replace(/_/g, '-');
  if (!trimmed) return null;
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? null;
  } catch {
    return 'und';
  }
}
