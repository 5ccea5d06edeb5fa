import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate } from 'otplib';
import { newTotpSecret, totpUri, verifyTotpCode } from './totp.ts';

const now = () => Math.floor(Date.now() / 1000);

test('a code from this step or one step either side is accepted, with its time step', async () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  for (const offset of [-30, 0, 30]) {
    const step = await verifyTotpCode(secret, await generate({ secret, epoch: now() + offset }), null);
    assert.equal(typeof step, 'number', `offset ${offset}`);
  }
  assert.equal(await verifyTotpCode(secret, await generate({ secret, epoch: now() - 120 }), null), null);
});

test('a replayed code, or one older than the last accepted, is refused', async () => {
  const secret = newTotpSecret();
  const code = await generate({ secret });
  const step = await verifyTotpCode(secret, code, null);
  assert.ok(step);
  assert.equal(await verifyTotpCode(secret, code, step), null);
  assert.equal(await verifyTotpCode(secret, await generate({ secret, epoch: now() - 30 }), step), null);
});

test('malformed codes are refused without throwing; spaces are ignored', async () => {
  const secret = newTotpSecret();
  for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5']) assert.equal(await verifyTotpCode(secret, bad, null), null);
  const code = await generate({ secret });
  assert.ok(await verifyTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null));
});

test('a last step otplib would throw for (ahead of the clock, negative, not an integer) is a refusal', async () => {
  const secret = newTotpSecret();
  const current = Math.floor(now() / 30); // before the code, so that a step turning over in between cannot fail the last check
  const code = await generate({ secret });
  for (const lastStep of [current + 2, current + 1000, Number.MAX_SAFE_INTEGER, -1, 1.5, Number.NaN]) {
    assert.equal(await verifyTotpCode(secret, code, lastStep), null, `last step ${lastStep}`);
  }
  // One step ahead is the edge otplib still takes (now plus the tolerance): nothing after it yet, and no throw.
  assert.equal(await verifyTotpCode(secret, code, current + 1), null);
  assert.equal(typeof await verifyTotpCode(secret, code, current - 1), 'number');
});

test('the URI names the issuer and the account', () => {
  const uri = totpUri('Example Ltd', 'ann@example.com', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  assert.match(uri, /^otpauth:\/\/totp\/Example%20Ltd:ann%40example\.com\?/);
  assert.match(uri, /issuer=Example%20Ltd/);
});
