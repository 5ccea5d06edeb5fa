import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyStageCounts, percentilesFromTenths, stageList } from './funnel-report.ts';

test('stageList gives conversion and drop-off against the stage before', () => {
  const counts = { ...emptyStageCounts(), targeted: 1000, sent: 990, clicked: 400, started: 0 };
  const stages = stageList(counts);
  assert.deepEqual(stages[0], { stage: 'targeted', users: 1000, of_targeted: 1 });
  assert.deepEqual(stages[1], { stage: 'sent', users: 990, conversion: 0.99, drop_off: 10, of_targeted: 0.99 });
  assert.equal(stages[4]!.conversion, null, 'nobody started, so enrolled has nothing to convert from');
  assert.equal(stages[3]!.drop_off, 400);
});

test('percentilesFromTenths reads the bucket midpoint where the share is reached', () => {
  assert.deepEqual(percentilesFromTenths([]), { p50: null, p90: null, users: 0 });
  const result = percentilesFromTenths([{ tenths: 100, users: 1 }, { tenths: 2, users: 5 }, { tenths: 52, users: 4 }]);
  assert.deepEqual(result, { p50: 0.25, p90: 5.25, users: 10 });
});
