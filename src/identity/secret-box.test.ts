import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretBox, SecretBoxError, deriveKey } from './secret-box.ts';

const SECRET = 'a'.repeat(40);

test('a sealed string opens with the same key and context, and differs each time', () => {
  const box = new SecretBox(SECRET);
  const first = box.encrypt('JBSWY3DPEHPK3PXP', 'staff:1');
  const second = box.encrypt('JBSWY3DPEHPK3PXP', 'staff:1');
  assert.notEqual(first, second);
  assert.ok(!first.includes('JBSWY3DPEHPK3PXP'));
  assert.match(first, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(box.decrypt(first, 'staff:1'), 'JBSWY3DPEHPK3PXP');
});

test('another context, another key or a changed byte is refused', () => {
  const box = new SecretBox(SECRET);
  const sealed = box.encrypt('secret', 'staff:1');
  assert.throws(() => box.decrypt(sealed, 'staff:2'), SecretBoxError);
  assert.throws(() => new SecretBox('b'.repeat(40)).decrypt(sealed, 'staff:1'), SecretBoxError);
  assert.throws(() => new SecretBox(SECRET, 'another purpose').decrypt(sealed, 'staff:1'), SecretBoxError);
  const [v, iv, body, tag] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0]! ^= 1;
  assert.throws(() => box.decrypt([v, iv, flipped.toString('base64url'), tag].join('.'), 'staff:1'), SecretBoxError);
  assert.throws(() => box.decrypt('plain text', 'staff:1'), /expected "v1/);
});

test('keys are derived per purpose with HKDF-SHA256 (RFC 5869)', () => {
  assert.equal(deriveKey(SECRET, 'cutover totp v1').length, 32);
  assert.notDeepEqual(deriveKey(SECRET, 'cutover totp v1'), deriveKey(SECRET, 'cutover csrf v1'));
});
