import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import IntlMessageFormat from 'intl-messageformat';

/** `locales/` at the project root: the same path from src/ (tsx) and from dist/ (the build keeps the depth). */
export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

export const DEFAULT_LOCALE = 'en';

/**
 * Files every locale must hold: the end-user pages and the mail. `console.json` (staff console, English only)
 * lives under `en/` alone and is not required elsewhere.
 */
export const LOCALE_FILES = ['pages.json', 'mail.json'] as const;

export type MessageValues = Record<string, string | number | boolean | null | undefined | Date | ((chunks: string[]) => string)>;

export interface MessageCatalog {
  dir: string;
  /** Every locale folder found, sorted. */
  locales: string[];
  /** Every message per locale as written (ICU MessageFormat), with the file it came from. */
  sources: Map<string, Map<string, { text: string; file: string }>>;
  /** Problems found while reading (a missing file, bad JSON, a key in two files), naming the file. */
  readProblems: string[];
  /** Formats `key` in `locale` (English when the locale lacks it). Throws on an unknown key or a missing value. */
  format(locale: string, key: string, values?: MessageValues): string;
  has(locale: string, key: string): boolean;
}

const cache = new Map<string, MessageCatalog>();

/** Reads `dir/<locale>/*.json` once; later calls answer from the cache. */
export function loadCatalog(dir: string = LOCALES_DIR): MessageCatalog {
  const cached = cache.get(dir);
  if (cached) return cached;
  const sources = new Map<string, Map<string, { text: string; file: string }>>();
  const readProblems: string[] = [];
  for (const locale of localeFolders(dir)) {
    const messages = new Map<string, { text: string; file: string }>();
    const present = readdirSync(path.join(dir, locale)).filter((file) => file.endsWith('.json')).sort();
    for (const file of LOCALE_FILES) if (!present.includes(file)) readProblems.push(`${path.join(dir, locale, file)} is missing`);
    for (const file of present) {
      const where = path.join(dir, locale, file);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(where, 'utf8'));
      } catch (error) {
        readProblems.push(`${where} is not JSON: ${(error as Error).message}`);
        continue;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        readProblems.push(`${where} must be one object of "key": "message"`);
        continue;
      }
      for (const [key, text] of Object.entries(parsed)) {
        if (typeof text !== 'string') readProblems.push(`${where}: "${key}" must be a string`);
        else if (messages.has(key)) readProblems.push(`${where}: "${key}" is also in another file of ${locale}`);
        else messages.set(key, { text, file });
      }
    }
    sources.set(locale, messages);
  }

  const compiled = new Map<string, IntlMessageFormat>();
  const compile = (locale: string, key: string): IntlMessageFormat => {
    const id = `${locale}\u0000${key}`;
    let message = compiled.get(id);
    if (!message) {
      const own = sources.get(locale)?.get(key)?.text;
      const text = own ?? sources.get(DEFAULT_LOCALE)?.get(key)?.text;
      if (text === undefined) throw new Error(`No message "${key}" in ${path.join(dir, DEFAULT_LOCALE)}`);
      message = new IntlMessageFormat(text, own === undefined ? DEFAULT_LOCALE : intlLocale(locale));
      compiled.set(id, message);
    }
    return message;
  };
  const catalog: MessageCatalog = {
    dir,
    locales: [...sources.keys()].sort(),
    sources,
    readProblems,
    format: (locale, key, values) => String(joinParts(compile(locale, key).format(values as never))),
    has: (locale, key) => sources.get(locale)?.has(key) ?? false,
  };
  cache.set(dir, catalog);
  return catalog;
}

/** Plural rules and numbers by the language; a bare "en" reads as British English, as the mail dates do. */
function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : locale;
}

// A message with tags whose handlers answer strings formats to an array of strings.
function joinParts(result: unknown): string {
  return Array.isArray(result) ? result.join('') : String(result);
}

// Locale folders are named by a language tag ("en", "pt-BR").
const LOCALE_FOLDER = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

function localeFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => LOCALE_FOLDER.test(name) && statSync(path.join(dir, name)).isDirectory()).sort();
}
