import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, PAGE_LOCALES } from './enrol-messages.ts';

test('every language has every message, with the same placeholders as English', () => {
  const english = PAGE_LOCALES.en as Record<string, string>;
  for (const [locale, messages] of Object.entries(PAGE_LOCALES)) {
    for (const [key, text] of Object.entries(english)) {
      const translated = (messages as Record<string, string | undefined>)[key];
      assert.ok(translated, `${locale} lacks "${key}"`);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(names(translated), names(text), `${locale} "${key}" placeholders`);
    }
  }
});

test('format fills named placeholders and leaves unknown ones', () => {
  assert.equal(format('Hello {name}, {x}', { name: 'Ada' }), 'Hello Ada, {x}');
});
