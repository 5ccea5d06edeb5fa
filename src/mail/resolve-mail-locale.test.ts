import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveMailLocale } from './resolve-mail-locale.ts';

describe('resolveMailLocale', () => {
  const available = ['de', 'de-AT', 'en'];
  const cases: Array<[string | null, string, boolean]> = [
    ['de-AT', 'de-AT', false],
    ['de_at', 'de-AT', false],
    ['DE-ch', 'de', false],
    ['de', 'de', false],
    ['en-US', 'en', false],
    ['fr', 'en', true],
    ['fr-CA', 'en', true],
    ['not a tag!', 'en', true],
    [null, 'en', false],
    ['  ', 'en', false],
  ];
  for (const [requested, locale, fellBack] of cases) {
    test(`${JSON.stringify(requested)} → ${locale}${fellBack ? ' (fell back)' : ''}`, () => {
      assert.deepEqual(resolveMailLocale(requested, available), { locale, fellBack });
    });
  }
});
