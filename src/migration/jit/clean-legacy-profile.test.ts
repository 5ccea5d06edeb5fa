import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanLegacyProfile } from './clean-legacy-profile.ts';

test('good profile fields are kept, the locale in its canonical form', () => {
  const { profile, dropped } = cleanLegacyProfile({ id: 'u-1', email: 'ann@example.com', locale: 'de_at', timezone: 'Europe/Vienna', name: 'Ann' });
  assert.deepEqual(profile, { id: 'u-1', email: 'ann@example.com', locale: 'de-AT', timezone: 'Europe/Vienna', name: 'Ann' });
  assert.deepEqual(dropped, []);
});

test('a bad email, locale or time zone is dropped with its reason, and the rest is kept', () => {
  const { profile, dropped } = cleanLegacyProfile({ id: 'u-2', email: 'ann@@example', locale: 'en-!!', timezone: 'Mars/Olympus', name: 'Ann' });
  assert.deepEqual(profile, { id: 'u-2', name: 'Ann' });
  assert.deepEqual(dropped.map((d) => d.field), ['email', 'locale', 'timezone']);
  assert.match(dropped[1]!.reason, /language tag/);
  assert.deepEqual(cleanLegacyProfile({ locale: 'x'.repeat(40) }).dropped.map((d) => d.field), ['locale'], 'an overlong tag');
  assert.deepEqual(cleanLegacyProfile({ email: `${'a'.repeat(250)}@example.com` }).dropped.map((d) => d.field), ['email'], 'an overlong address');
});
