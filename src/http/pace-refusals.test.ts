import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefusalPacer } from './pace-refusals.ts';

test('a refusal waits out the beat: the floor with slack, in 50 ms steps', () => {
  const pacer = new RefusalPacer({ ms: 300 });
  assert.equal(pacer.beatMs, 350);
  assert.equal(pacer.waitFor(120), 230);
  assert.equal(pacer.waitFor(349), 1);
});

test('work that outruns one beat leaves on the next, never at its own time', () => {
  const pacer = new RefusalPacer({ ms: 300 });
  assert.equal(pacer.waitFor(400), 300, 'two beats of 350 ms');
});

test('a slow kind that is only one refusal in eight still sets the beat; one stray slow refusal does not', () => {
  const pacer = new RefusalPacer({ ms: 300 });
  for (let i = 0; i < 40; i++) pacer.waitFor(i % 8 === 7 ? 620 : 120);
  assert.equal(pacer.beatMs, 650, 'the bcrypt-like refusals (620 ms) with 25 ms headroom, stepped up');
  const quiet = new RefusalPacer({ ms: 300 });
  for (let i = 0; i < 40; i++) quiet.waitFor(i === 20 ? 900 : 120);
  assert.equal(quiet.beatMs, 350, 'one stray slow refusal leaves the beat at the floor');
});

test('slow recent work raises the beat at once, and a quiet spell does not lower it straight away', () => {
  const pacer = new RefusalPacer({ ms: 300 });
  for (let i = 0; i < 10; i++) pacer.waitFor(500);
  assert.equal(pacer.beatMs, 550, 'the slow end of recent work (500 ms) with 25 ms headroom, stepped up');
  for (let i = 0; i < 40; i++) pacer.waitFor(100);
  assert.equal(pacer.beatMs, 550, 'held for a while after the load went');
});

test('a beat that recent work keeps needing is held from its last need, not from when it was raised', () => {
  let clock = 0;
  const pacer = new RefusalPacer({ ms: 300 }, () => clock);
  for (let i = 0; i < 10; i++) pacer.waitFor(500);
  assert.equal(pacer.beatMs, 550);
  // Busy work keeps reaching the beat for three minutes, longer than the hold.
  for (; clock < 180_000; clock += 1_000) pacer.waitFor(510);
  for (let i = 0; i < 40; i++) pacer.waitFor(100);
  clock += 60_000;
  assert.equal(pacer.beatMs, 550, 'a minute after it was last needed, the beat still holds');
  clock += 61_000;
  assert.equal(pacer.beatMs, 350, 'after two quiet minutes it falls back to the floor with slack');
});
