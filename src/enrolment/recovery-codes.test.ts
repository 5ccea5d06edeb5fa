import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRecoveryCode, normaliseRecoveryCode, RecoveryCodes } from './recovery-codes.ts';

test('recovery codes are two groups of five unambiguous symbols, and differ', () => {
  const codes = Array.from({ length: 200 }, newRecoveryCode);
  for (const code of codes) assert.match(code, /^[A-HJKMNP-TV-Z2-9]{5}-[A-HJKMNP-TV-Z2-9]{5}$/);
  assert.equal(new Set(codes).size, codes.length);
});

test('a code typed in lower case, with spaces or without the dash hashes as issued', () => {
  const box = new RecoveryCodes('x'.repeat(32));
  const hash = box.hash('K7QMX-3RT9P');
  assert.equal(box.hash('k7qmx 3rt9p'), hash);
  assert.equal(box.hash('K7QMX3RT9P'), hash);
  assert.notEqual(box.hash('K7QMX-3RT9Q'), hash);
  assert.notEqual(new RecoveryCodes('y'.repeat(32)).hash('K7QMX-3RT9P'), hash, 'the key matters');
  assert.equal(normaliseRecoveryCode('ab-c0 1l'), 'ABCOII');
});
