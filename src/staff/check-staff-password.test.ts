import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStaffPassword } from './check-staff-password.ts';

const EMAIL = 'ann.smith@example.com';

test('a long, uncommon password is accepted', () => {
  assert.equal(checkStaffPassword('tulip-orbit-quarry-41', EMAIL), null);
  assert.equal(checkStaffPassword('vanilla staircase blue', EMAIL), null);
});

test('too short, the email, or a breached password is refused with the reason', () => {
  assert.match(checkStaffPassword('short-pass1', EMAIL)!, /at least 12 characters \(got 11\)/);
  assert.match(checkStaffPassword('Ann.Smith@example.com', EMAIL)!, /email/);
  assert.match(checkStaffPassword('annsmith2024!', EMAIL)!, /email/);
  assert.match(checkStaffPassword('Password1234', EMAIL)!, /too common/);
  assert.match(checkStaffPassword('Password2026!!', EMAIL)!, /too common/);
  assert.match(checkStaffPassword('qwertyuiop123', EMAIL)!, /too common/);
  assert.match(checkStaffPassword('abababababab', EMAIL)!, /too easy/);
  assert.match(checkStaffPassword('x'.repeat(300), EMAIL)!, /at most 256/);
});
