import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LegacyVerifier } from '../jit/legacy-verifier.ts';
import { LegacyUnavailableError } from '../jit/legacy-verifier.ts';
import { askLegacyWithin } from './ask-legacy-within.ts';

const hanging: LegacyVerifier = { name: 'hanging', verify: () => new Promise(() => {}) };
const answering: LegacyVerifier = { name: 'answering', verify: async () => ({ ok: true, profile: { id: 'u-1' } }) };

test('a legacy system that does not answer is unavailable once the budget is spent, not at its own timeout', async () => {
  const started = performance.now();
  await assert.rejects(askLegacyWithin(hanging, 'a', 'b', performance.now() + 150), LegacyUnavailableError);
  const took = performance.now() - started;
  assert.ok(took >= 140 && took < 1000, `gave up after ${took.toFixed(0)} ms`);
});

test('a spent budget does not call the legacy system at all; no deadline leaves it to the verifier', async () => {
  let calls = 0;
  const counting: LegacyVerifier = { name: 'counting', verify: async () => { calls++; return { ok: false }; } };
  await assert.rejects(askLegacyWithin(counting, 'a', 'b', performance.now() - 1), /no time left/);
  assert.equal(calls, 0);
  assert.deepEqual(await askLegacyWithin(answering, 'a', 'b', undefined), { ok: true, profile: { id: 'u-1' } });
  assert.deepEqual(await askLegacyWithin(answering, 'a', 'b', performance.now() + 1000), { ok: true, profile: { id: 'u-1' } });
});
