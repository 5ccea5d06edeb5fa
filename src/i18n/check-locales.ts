import path from 'node:path';
import IntlMessageFormat from 'intl-messageformat';
import { DEFAULT_LOCALE, LOCALE_FILES, loadCatalog, type MessageCatalog } from './message-catalog.ts';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

// Element types of @formatjs/icu-messageformat-parser: 0 literal, 1 argument, 2 number, 3 date, 4 time,
// 5 select, 6 plural, 7 pound (#), 8 tag.
const LITERAL = 0;
const TAG = 8;

/** The only markup a message may carry; mail-templates.ts renders each (bold, a mailto: link, a web link). */
const MAIL_TAGS = ['<b>', '<mail>', '<web>'];

/** The names a message takes (arguments and tags, "<b>" as "<b>"), and its literal text. */
export function messageShape(text: string, locale: string): { names: string[]; literals: string[] } {
  const names = new Set<string>();
  const literals: string[] = [];
  const walk = (elements: Element[]): void => {
    for (const element of elements) {
      if (element.type === LITERAL) literals.push(element.value);
      else if (element.type === TAG) {
        names.add(`<${element.value}>`);
        walk(element.children);
      } else if ('value' in element) names.add(element.value);
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, locale).getAst());
  return { names: [...names].sort(), literals };
}

/**
 * Everything wrong with the locale files, one line each, naming the file and the key: a missing file or key, a
 * key English does not have, a message that does not parse, placeholders that differ from English's, and text that
 * would be unsafe in HTML mail or is swallowed by ICU quoting (a straight apostrophe: write ’).
 */
export function localeProblems(catalog: MessageCatalog): string[] {
  const problems = [...catalog.readProblems];
  const english = catalog.sources.get(DEFAULT_LOCALE);
  if (!english) return [...problems, `No "${DEFAULT_LOCALE}" folder under ${catalog.dir}: every other locale falls back to it`];
  const shapes = new Map<string, { names: string[] } | null>();
  for (const [locale, messages] of catalog.sources) {
    for (const [key, { text, file }] of messages) {
      const where = `${path.join(catalog.dir, locale, file)}: "${key}"`;
      let shape: ReturnType<typeof messageShape>;
      try {
        shape = messageShape(text, locale);
      } catch (error) {
        problems.push(`${where} does not parse: ${(error as Error).message}`);
        if (locale === DEFAULT_LOCALE) shapes.set(key, null);
        continue;
      }
      const tags = shape.names.filter((name) => name.startsWith('<') && !MAIL_TAGS.includes(name));
      if (tags.length > 0) problems.push(`${where} has the tag ${tags.join(', ')}: only ${MAIL_TAGS.join(', ')} are known`);
      if (shape.literals.some((literal) => /[<>&]/.test(literal))) problems.push(`${where} has <, > or & outside a tag: mail is HTML`);
      if (text.includes("'")) problems.push(`${where} has a straight apostrophe, which ICU reads as quoting: write ’`);
      if (locale === DEFAULT_LOCALE) shapes.set(key, shape);
      else if (!english.has(key)) problems.push(`${where} is not in ${DEFAULT_LOCALE}/`);
    }
  }
  for (const [locale, messages] of catalog.sources) {
    if (locale === DEFAULT_LOCALE) continue;
    for (const [key, { file }] of english) {
      if (!(LOCALE_FILES as readonly string[]).includes(file)) continue; // console.json: English only
      const own = messages.get(key);
      if (!own) {
        problems.push(`${path.join(catalog.dir, locale, file)} lacks "${key}"`);
        continue;
      }
      const englishShape = shapes.get(key);
      if (!englishShape) continue;
      let names: string[];
      try {
        names = messageShape(own.text, locale).names;
      } catch {
        continue; // reported above
      }
      if (names.join() !== englishShape.names.join()) {
        problems.push(`${path.join(catalog.dir, locale, own.file)}: "${key}" takes {${names.join(', ')}}, English takes {${englishShape.names.join(', ')}}`);
      }
    }
  }
  return problems;
}

/** Startup check: throws with every problem, so a broken locale stops a deploy rather than a page. */
export function checkLocales(dir?: string): MessageCatalog {
  const catalog = loadCatalog(dir);
  const problems = localeProblems(catalog);
  if (problems.length > 0) throw new Error(`Locale files are not right:\n  ${problems.join('\n  ')}`);
  return catalog;
}
