import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LegacyUnavailableError, type LegacyVerifier } from '../migration/jit/legacy-verifier.ts';
import { ProcessMetrics } from './metrics-registry.ts';
import { TimedLegacyVerifier } from './timed-legacy-verifier.ts';

test('each legacy call is counted by result and timed; answers and errors pass through', async () => {
  const metrics = new ProcessMetrics();
  const answers: Array<() => Promise<{ ok: boolean }>> = [async () => ({ ok: true }), async () => ({ ok: false }), async () => { throw new LegacyUnavailableError('down'); }];
  const inner = { name: 'stub', verify: () => answers.shift()!() } as unknown as LegacyVerifier;
  const timed = new TimedLegacyVerifier(inner, metrics);
  assert.equal(timed.name, 'stub');
  assert.deepEqual(await timed.verify('a', 'b'), { ok: true });
  assert.deepEqual(await timed.verify('a', 'b'), { ok: false });
  await assert.rejects(timed.verify('a', 'b'), LegacyUnavailableError);
  const text = metrics.render();
  for (const result of ['accepted', 'rejected', 'unavailable']) assert.match(text, new RegExp(`cutover_legacy_calls_total\\{result="${result}"\\} 1`));
  assert.match(text, /cutover_legacy_call_duration_seconds_count 3/);
});
